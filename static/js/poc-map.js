/* The small location map on a POC page. The position is also written out as text.
 * Leaflet and its stylesheet load only when the map comes near the screen: the map lies below
 * the POC's story, and most visitors read without reaching it. */
(() => {
  "use strict";
  const element = document.getElementById("poc-map");
  const script = document.getElementById("poc-map-script");
  if (!element || !script) return;

  function load(tag, attributes) {
    return new Promise((resolve, reject) => {
      const node = Object.assign(document.createElement(tag), attributes, { onload: resolve, onerror: reject });
      document.head.append(node);
    });
  }

  async function show() {
    await Promise.all([
      load("link", { rel: "stylesheet", href: script.dataset.stylesheet }),
      window.L ? null : load("script", { src: script.dataset.leaflet }),
    ]);
    const position = [Number(element.dataset.lat), Number(element.dataset.lon)];
    const map = window.L.map(element, { scrollWheelZoom: false }).setView(position, 14);
    window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
    const icon = window.L.divIcon({ className: "", html: '<span class="map-marker"></span>', iconSize: [18, 18], iconAnchor: [9, 9] });
    window.L.marker(position, { icon, title: element.dataset.title, alt: element.dataset.title }).addTo(map);
  }

  if (!("IntersectionObserver" in window)) {
    show().catch(() => {});
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      show().catch(() => {});
    },
    { rootMargin: "400px 0px" }
  );
  observer.observe(element);
})();
