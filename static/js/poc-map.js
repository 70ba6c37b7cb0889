/* The small location map on a POC page. The position is also written out as text. */
(() => {
  "use strict";
  const element = document.getElementById("poc-map");
  if (!element || !window.L) return;
  const position = [Number(element.dataset.lat), Number(element.dataset.lon)];
  const map = window.L.map(element, { scrollWheelZoom: false }).setView(position, 14);
  window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
  const icon = window.L.divIcon({ className: "", html: '<span class="map-marker"></span>', iconSize: [18, 18], iconAnchor: [9, 9] });
  window.L.marker(position, { icon, title: element.dataset.title, alt: element.dataset.title }).addTo(map);
})();
