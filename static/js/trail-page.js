/* A trail's page: its stops on a map, numbered and joined in walking order, and a print button.
 * The stops are listed in the page whatever happens here; the map is drawn from the JSON the
 * page carries (#trail-stops), in the trail's theme colour. Leaflet loads once the map comes
 * near the screen: on a phone it lies below the trail's introduction. */
(() => {
  "use strict";
  const script = document.getElementById("trail-page-script");
  const element = document.getElementById("trail-map");
  const printButton = document.getElementById("trail-print");

  if (printButton) printButton.addEventListener("click", () => window.print());

  const data = document.getElementById("trail-stops");
  if (!script || !element || !data) return;
  const stops = JSON.parse(data.textContent);
  if (!stops.length) return;

  function load(tag, attributes) {
    return new Promise((resolve, reject) => {
      const node = Object.assign(document.createElement(tag), attributes, { onload: resolve, onerror: reject });
      document.head.append(node);
    });
  }

  function label(stop) {
    const link = document.createElement("a");
    link.href = stop.url;
    link.textContent = `${stop.number}. ${stop.title}`;
    return link;
  }

  async function show() {
    await Promise.all([
      load("link", { rel: "stylesheet", href: script.dataset.stylesheet }),
      window.L ? null : load("script", { src: script.dataset.leaflet }),
    ]);
    const L = window.L;
    element.replaceChildren();
    const map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
    const colour = getComputedStyle(element).getPropertyValue("--theme-ink").trim() || "#16161d";
    const points = stops.map((stop) => [stop.lat, stop.lon]);
    L.polyline(points, { color: colour, weight: 4, opacity: 0.85, dashArray: "8 8" }).addTo(map);
    for (const stop of stops) {
      const icon = L.divIcon({
        className: "",
        html: `<span class="trail-marker">${stop.number}</span>`,
        iconSize: [30, 30],
        iconAnchor: [15, 15],
      });
      L.marker([stop.lat, stop.lon], { icon, title: `${stop.number}. ${stop.title}`, alt: `${stop.number}. ${stop.title}` })
        .bindPopup(label(stop))
        .addTo(map);
    }
    map.fitBounds(L.latLngBounds(points), { padding: [36, 36], maxZoom: 16 });
    element.dataset.ready = "true";
  }

  const start = () =>
    show().catch(() => {
      element.dataset.ready = "failed";
    });
  if (!("IntersectionObserver" in window)) {
    start();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      start();
    },
    { rootMargin: "400px 0px" }
  );
  observer.observe(element);
})();
