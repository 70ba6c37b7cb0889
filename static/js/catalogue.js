/* The catalogue page, enhanced: facets, sort, chips and pages update in place.
 * The server renders everything (the page works without this file); here we fetch the same
 * URL as an HTML fragment, swap it in, keep the address bar in sync and announce the change. */
(() => {
  "use strict";
  const form = document.getElementById("catalogue-form");
  if (!form) return;
  const fragmentHeader = form.dataset.fragmentHeader;
  const status = document.getElementById("catalogue-status");
  const query = document.getElementById("catalogue-q");
  const script = document.getElementById("catalogue-script");
  let inFlight = null;

  const results = () => document.getElementById("catalogue-results");
  const basePath = () => new URL(form.action, window.location.href).pathname;

  function formUrl() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim() !== "") params.append(name, value);
    }
    const search = params.toString();
    return basePath() + (search ? `?${search}` : "");
  }

  function describeFocus() {
    const active = document.activeElement;
    if (!active || !results().contains(active)) return null;
    if (active.matches("input[type=checkbox]")) return `input[name="${active.name}"][value="${CSS.escape(active.value)}"]`;
    if (active.id) return `#${CSS.escape(active.id)}`;
    return null;
  }

  async function load(url, { push = true, closeDrawer = false } = {}) {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    form.classList.add("is-loading");
    results().setAttribute("aria-busy", "true");
    const focusSelector = describeFocus();
    const drawerOpen = document.getElementById("facets")?.classList.contains("is-open");
    try {
      const response = await fetch(url, { headers: { [fragmentHeader]: "1" }, signal: inFlight.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const html = await response.text();
      results().outerHTML = html;
      // Applying unchanged filters (the drawer's button) adds no step to the history.
      const here = window.location.pathname + window.location.search;
      if (push && url !== here) history.pushState({ catalogue: true }, "", url);
      syncQuery(url);
      syncLanguageSwitcher();
      enhance({ drawerOpen: drawerOpen && !closeDrawer });
      const target = closeDrawer ? resultsHeading() : focusSelector && document.querySelector(focusSelector);
      if (target) target.focus();
      status.textContent = document.getElementById("results-count").textContent.trim();
    } catch (error) {
      if (error.name !== "AbortError") window.location.assign(url);
    } finally {
      form.classList.remove("is-loading");
      results()?.removeAttribute("aria-busy");
    }
  }

  function syncQuery(url) {
    if (query && document.activeElement !== query) {
      query.value = new URL(url, window.location.href).searchParams.get("q") || "";
    }
  }

  // The language switcher links to this page in the other language: it must carry the
  // filters as they are now, not as they were when the page loaded.
  function syncLanguageSwitcher() {
    document.querySelectorAll(".language-switcher a[hreflang]").forEach((link) => {
      link.search = window.location.search;
    });
  }

  const resultsHeading = () => document.getElementById("results-count");

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhanceFacets(root) {
    root.querySelectorAll(".facet--long").forEach((facet) => {
      const more = facet.querySelector(".facet__more");
      const filter = facet.querySelector(".facet__filter");
      if (more) {
        more.hidden = false;
        more.textContent = more.dataset.more;
        more.addEventListener("click", () => {
          const expanded = facet.classList.toggle("is-expanded");
          more.setAttribute("aria-expanded", String(expanded));
          more.textContent = expanded ? more.dataset.less : more.dataset.more;
        });
      }
      if (filter) {
        filter.hidden = false;
        filter.addEventListener("input", () => {
          const wanted = normalise(filter.value);
          facet.classList.toggle("is-filtering", wanted !== "");
          facet.querySelectorAll(".facet__value").forEach((item) => {
            const label = normalise(item.querySelector(".facet__label").textContent);
            item.hidden = wanted !== "" && !label.includes(wanted);
          });
          if (more) more.hidden = wanted !== "";
        });
        filter.addEventListener("keydown", (event) => {
          if (event.key === "Enter") event.preventDefault();
        });
      }
    });
  }

  function enhanceDrawer(root, drawerOpen) {
    const toggle = root.querySelector(".facets-toggle");
    const drawer = root.querySelector("#facets");
    const close = root.querySelector(".facets__close");
    if (!toggle || !drawer) return;
    toggle.hidden = false;
    const small = window.matchMedia("(max-width: 64em)");
    const setOpen = (open, { focus = true } = {}) => {
      drawer.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", String(open));
      close.hidden = !open;
      if (open) {
        drawer.setAttribute("role", "dialog");
        drawer.setAttribute("aria-modal", "true");
        if (focus) (drawer.querySelector("input, button:not([hidden])") || drawer).focus();
      } else {
        drawer.removeAttribute("role");
        drawer.removeAttribute("aria-modal");
        if (focus) toggle.focus();
      }
    };
    toggle.addEventListener("click", () => setOpen(true));
    close.addEventListener("click", () => setOpen(false));
    drawer.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && drawer.classList.contains("is-open")) setOpen(false);
    });
    if (drawerOpen && small.matches) {
      // The drawer was open before the swap: show it open, without sliding it in again.
      drawer.classList.add("facets--instant");
      setOpen(true, { focus: false });
      requestAnimationFrame(() => requestAnimationFrame(() => drawer.classList.remove("facets--instant")));
    }
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = reject;
      document.head.append(element);
    });
  }

  // The list view links no map stylesheet, so that nothing but the site's own blocks its first
  // paint; the map view's first swap adds them.
  function ensureStylesheets() {
    const linked = new Set([...document.querySelectorAll("link[rel=stylesheet]")].map((link) => link.getAttribute("href")));
    const missing = script.dataset.stylesheets.split(" ").filter((href) => !linked.has(href));
    return Promise.all(
      missing.map(
        (href) =>
          new Promise((resolve, reject) => {
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = href;
            link.onload = resolve;
            link.onerror = reject;
            document.head.append(link);
          })
      )
    );
  }

  async function ensureLeaflet() {
    const stylesheets = ensureStylesheets();
    if (!window.L) await loadScript(script.dataset.leaflet);
    if (!window.L.markerClusterGroup) await loadScript(script.dataset.markercluster);
    await stylesheets;
  }

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // Too many POCs for a marker each: the server counts them per tile of the visible map,
  // asked again whenever the map stops moving; a click on a group zooms into its tile.
  function clusterMap(element, map) {
    const layer = window.L.layerGroup().addTo(map);
    let asking = null;
    async function refresh() {
      if (asking) asking.abort();
      asking = new AbortController();
      const bounds = map.getBounds();
      const url = new URL(element.dataset.clustersUrl, window.location.href);
      url.searchParams.set("lang", document.documentElement.lang);  // English words on /en/
      url.searchParams.set("zoom", String(map.getZoom()));
      url.searchParams.set("visible", [
        Math.max(-180, bounds.getWest()), Math.max(-90, bounds.getSouth()),
        Math.min(180, bounds.getEast()), Math.min(90, bounds.getNorth()),
      ].map((value) => value.toFixed(6)).join(","));
      try {
        const response = await fetch(url, { signal: asking.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { clusters } = await response.json();
        layer.clearLayers();
        for (const cluster of clusters) {
          const size = cluster.count < 100 ? "small" : cluster.count < 1000 ? "medium" : "large";
          const icon = window.L.divIcon({
            className: `marker-cluster marker-cluster-${size}`,
            html: `<div><span>${cluster.count}</span></div>`,
            iconSize: [40, 40],
          });
          const title = `${cluster.count} ${element.dataset.clusterLabel}`;
          const marker = window.L.marker([cluster.lat, cluster.lon], { icon, title, alt: title });
          const [south, west, north, east] = cluster.bounds;
          marker.on("click", () => map.fitBounds([[south, west], [north, east]]));
          layer.addLayer(marker);
        }
      } catch {
        // Aborted by a newer move, or the network failed: the groups shown stay until the next move.
      }
    }
    map.on("moveend", refresh);
    map.fitBounds(areaOf(element) || corners(element.dataset.extent));
  }

  // "south,west,north,east" as Leaflet's corners.
  function corners(text) {
    const [south, west, north, east] = text.split(",").map(Number);
    return [[south, west], [north, east]];
  }

  // The area searched ("Search this area"): the map opens on it again.
  const areaOf = (element) => (element.dataset.area ? corners(element.dataset.area) : null);

  // The visible map as the search's `bbox` (minLon,minLat,maxLon,maxLat), rounded inwards to
  // about a metre so the map opens on it again at the same zoom.
  function visibleArea(map) {
    const bounds = map.getBounds();
    const inwards = (value, up) => (up ? Math.ceil(value * 1e5) : Math.floor(value * 1e5)) / 1e5;
    return [
      inwards(Math.max(-180, bounds.getWest()), true),
      inwards(Math.max(-90, bounds.getSouth()), true),
      inwards(Math.min(180, bounds.getEast()), false),
      inwards(Math.min(90, bounds.getNorth()), false),
    ].join(",");
  }

  // The catalogue as it is now (the form's fields), changed by `changes`, from its first page.
  function stateUrl(changes) {
    const url = new URL(formUrl(), window.location.href);
    for (const [name, value] of Object.entries(changes)) url.searchParams.set(name, value);
    url.searchParams.delete("page");
    return url.pathname + url.search;
  }

  // "Search this area" and "Around me". The browser is asked for the visitor's position on
  // that click only, never when the page opens; a refusal is said next to the button.
  function enhanceMapTools(root, map) {
    const tools = root.querySelector("#map-tools");
    if (!tools) return;
    const message = tools.querySelector("#map-tools-message");
    const nearMe = tools.querySelector("#map-near-me");
    tools.hidden = false;
    tools.querySelector("#map-search-area").addEventListener("click", () => {
      load(stateUrl({ bbox: visibleArea(map), view: "map" }));
    });
    nearMe.addEventListener("click", () => {
      if (!("geolocation" in navigator)) {
        message.textContent = tools.dataset.unavailable;
        return;
      }
      message.textContent = tools.dataset.locating;
      nearMe.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          const { latitude, longitude } = position.coords;
          load(stateUrl({ near: `${latitude.toFixed(5)},${longitude.toFixed(5)}`, sort: "distance", view: "map" }));
        },
        (error) => {
          nearMe.disabled = false;
          message.textContent = error.code === error.PERMISSION_DENIED ? tools.dataset.denied : tools.dataset.unavailable;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  // The point distances are measured from, marked apart from the POCs.
  function markNear(element, map) {
    if (!element.dataset.near) return;
    const [lat, lon] = element.dataset.near.split(",").map(Number);
    window.L.circleMarker([lat, lon], { radius: 8, className: "map-near", weight: 3 })
      .bindTooltip(element.dataset.nearLabel)
      .addTo(map);
  }

  async function enhanceMap(root) {
    const element = root.querySelector("#catalogue-map");
    if (!element) return;
    await ensureLeaflet();
    element.textContent = "";
    const map = window.L.map(element, { scrollWheelZoom: false });
    window.L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 18,
    }).addTo(map);
    enhanceMapTools(root, map);
    markNear(element, map);
    if (element.dataset.clustersUrl) {
      clusterMap(element, map);
      return;
    }
    const points = JSON.parse(document.getElementById(element.dataset.points).textContent);
    const cluster = window.L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    const markers = points.map((point) => {
      // An element, not HTML: the Content-Security-Policy refuses style attributes.
      const dot = document.createElement("span");
      dot.className = "map-marker";
      if (point.colour) dot.style.setProperty("--marker-colour", point.colour);
      const icon = window.L.divIcon({ className: "", html: dot, iconSize: [18, 18], iconAnchor: [9, 9] });
      const marker = window.L.marker([point.lat, point.lon], { icon, title: point.title, alt: point.title });
      marker.bindPopup(`<a href="${encodeURI(point.url)}">${escapeHtml(point.title)}</a><br>${escapeHtml(point.commune)}`);
      return marker;
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (areaOf(element)) {
      map.fitBounds(areaOf(element));
    } else if (markers.length) {
      map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 14 });
    } else {
      map.setView([50.63, 3.06], 10);
    }
  }

  function enhance({ drawerOpen = false } = {}) {
    const root = results();
    enhanceFacets(root);
    enhanceDrawer(root, drawerOpen);
    enhanceMap(root).catch(() => {});
  }

  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox], select")) load(formUrl());
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // "Apply filters" in the phone drawer: the visitor is done choosing, show the results.
    const applied = Boolean(event.submitter && event.submitter.closest(".facets__apply"));
    load(formUrl(), { closeDrawer: applied });
  });
  form.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || !results().contains(link)) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== basePath()) return;
    event.preventDefault();
    load(url.pathname + url.search);
    if (link.closest(".pagination")) document.getElementById("results-count")?.scrollIntoView({ block: "start" });
  });
  window.addEventListener("popstate", () => load(window.location.pathname + window.location.search, { push: false }));
  history.replaceState({ catalogue: true }, "", window.location.href);
  enhance();
})();
