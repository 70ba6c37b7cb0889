/* "Je soutiens": one click on a POC page or card ([data-support="<id>"]).
 * Pages are the same for every visitor (they are served from a cache), so this asks the
 * server for fresh counts, this browser's supports (a signed HttpOnly cookie only the server
 * reads) and a CSRF token, turns each link to the support page into a toggle button, and
 * posts the clicks. Without this file the link opens the POC's support page, whose plain
 * form does the same. */
(() => {
  "use strict";
  const supports = Array.from(document.querySelectorAll("[data-support]"));
  if (!supports.length) return;
  const root = document.documentElement.lang === "en" ? "/en/supports/" : "/supports/";
  let csrf = "";

  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);

  function say(message) {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  function show(id, state) {
    for (const support of supports) {
      if (support.dataset.support !== String(id)) continue;
      const button = support.querySelector("button.support__button");
      if (button) button.setAttribute("aria-pressed", String(state.supported));
      support.querySelector("[data-support-count]").textContent = state.label;
    }
  }

  async function toggle(button, url) {
    const body = new URLSearchParams({
      action: button.getAttribute("aria-pressed") === "true" ? "withdraw" : "support",
    });
    button.disabled = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        body,
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) show(data.poc, data);
      if (data.message) say(data.message);
      else if (!response.ok) window.location.assign(url); // the support page says why
    } catch {
      window.location.assign(url);
    } finally {
      button.disabled = false;
    }
  }

  // The link becomes a toggle once the state is known: until then it still works as a link.
  function enhance(support) {
    const link = support.querySelector("a.support__button");
    if (!link) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-pressed", "false");
    button.append(...link.childNodes);
    button.addEventListener("click", () => toggle(button, link.href));
    link.replaceWith(button);
  }

  async function load() {
    const ids = [...new Set(supports.map((support) => support.dataset.support))].slice(0, 100);
    const query = ids.map((id) => `poc=${encodeURIComponent(id)}`).join("&");
    const response = await fetch(`${root}state/?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const data = await response.json();
    csrf = data.csrf;
    supports.forEach(enhance);
    for (const [id, state] of Object.entries(data.pocs)) show(id, state);
  }

  load().catch(() => {});
})();
