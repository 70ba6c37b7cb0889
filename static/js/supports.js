/* "Je soutiens": one click on a POC page or card ([data-support="<id>"] forms).
 * Pages are the same for every visitor (they are served from a cache), so this asks the
 * server for fresh counts, this browser's supports (a signed HttpOnly cookie only the server
 * reads) and a CSRF token, then posts the click and shows the answer. Without this file the
 * form leads to the POC's support page, which works with plain forms. */
(() => {
  "use strict";
  const forms = Array.from(document.querySelectorAll("form[data-support]"));
  if (!forms.length) return;
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
    for (const form of forms) {
      if (form.dataset.support !== String(id)) continue;
      form.querySelector("button").setAttribute("aria-pressed", String(state.supported));
      form.querySelector("[data-support-count]").textContent = state.label;
    }
  }

  async function load() {
    const ids = [...new Set(forms.map((form) => form.dataset.support))].slice(0, 100);
    const query = ids.map((id) => `poc=${encodeURIComponent(id)}`).join("&");
    const response = await fetch(`${root}state/?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const data = await response.json();
    csrf = data.csrf;
    for (const [id, state] of Object.entries(data.pocs)) show(id, state);
  }

  async function toggle(form) {
    const button = form.querySelector("button");
    const body = new URLSearchParams({
      action: button.getAttribute("aria-pressed") === "true" ? "withdraw" : "support",
    });
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        body,
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        show(data.poc, data);
        say(data.message);
      } else if (data.message) {
        say(data.message);
      } else {
        form.submit(); // the support page says what went wrong
      }
    } catch {
      form.submit();
    } finally {
      button.disabled = false;
    }
  }

  for (const form of forms) {
    form.addEventListener("submit", (event) => {
      if (!csrf) return; // state not loaded: the support page works without it
      event.preventDefault();
      toggle(form);
    });
  }
  load().catch(() => {});
})();
