/* The staff POC form's position map (poc_catalogue.panels.PositionPanel).
   A click or a dragged marker writes latitude and longitude; "clear" empties them. Without a
   position the POC stands at its commune's centre: a ghost marker shows where. */
(() => {
  "use strict";

  const parse = (input) => Number.parseFloat((input.value || "").replace(",", "."));

  const setUp = (element) => {
    const L = window.L;
    if (!L || element.dataset.ready) return;
    element.dataset.ready = "true";
    const form = element.closest("form");
    const latitude = form.querySelector("input[name=latitude]");
    const longitude = form.querySelector("input[name=longitude]");
    const commune = form.querySelector("input[name=commune]");
    const centres = JSON.parse(document.getElementById(element.dataset.communesId).textContent);
    const canvas = element.querySelector("[data-position-canvas]");
    const fallback = element.querySelector("[data-position-fallback]");
    const clear = element.querySelector("[data-position-clear]");

    const map = L.map(canvas, { scrollWheelZoom: false });
    map.setView(element.dataset.centre.split(",").map(Number), 11);
    L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 19,
    }).addTo(map);
    const pin = L.divIcon({
      className: "",
      html: '<span class="position-map__pin"></span>',
      iconSize: [24, 24],
      iconAnchor: [12, 24],
    });
    const marker = L.marker([0, 0], {
      icon: pin,
      draggable: true,
      title: element.dataset.markerTitle,
      alt: element.dataset.markerTitle,
    });
    const ghost = L.circleMarker([0, 0], {
      radius: 11,
      className: "position-map__ghost",
      interactive: false,
    }).bindTooltip(element.dataset.ghostTitle, { direction: "top", offset: [0, -10] });

    const position = () => {
      const here = [parse(latitude), parse(longitude)];
      return here.every(Number.isFinite) ? here : null;
    };
    const communeCentre = () => (commune && centres[commune.value]) || null;

    const show = (recentre) => {
      const here = position();
      const centre = communeCentre();
      if (here) marker.setLatLng(here).addTo(map);
      else marker.remove();
      if (!here && centre) ghost.setLatLng(centre).addTo(map).openTooltip();
      else ghost.remove();
      fallback.hidden = Boolean(here);
      clear.hidden = !here;
      if (recentre && (here || centre)) map.setView(here || centre, here ? 15 : 13);
    };
    const announce = () => {
      for (const input of [latitude, longitude]) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    };
    const write = (latlng) => {
      latitude.value = latlng.lat.toFixed(5);
      longitude.value = latlng.lng.toFixed(5);
      announce();
      show(false);
    };

    map.on("click", (event) => write(event.latlng));
    marker.on("dragend", () => write(marker.getLatLng()));
    clear.addEventListener("click", () => {
      latitude.value = "";
      longitude.value = "";
      announce();
      show(true);
    });
    for (const input of [latitude, longitude]) {
      input.addEventListener("input", () => show(false));
    }
    // Wagtail's chooser announces a chosen commune with a bubbling change event.
    form.addEventListener("change", (event) => {
      if (event.target === commune) show(true);
    });
    // The map starts in a hidden tab: measure it again whenever it is shown or resized.
    new ResizeObserver(() => map.invalidateSize()).observe(canvas);
    show(true);
  };

  const start = () => document.querySelectorAll("[data-position-map]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
