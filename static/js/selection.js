/* The visitor's selection: POCs kept in this browser (localStorage), no account.
 * Every "Keep" button ([data-keep="<id>"], on cards and POC pages) toggles its POC; the
 * header's link carries the list to /selection/?poc=…, which the server renders (a shared
 * link works without this file). Ids are French POC pages' ids, whatever the page's language. */
(() => {
  "use strict";
  const KEY = "showcase.selection";
  const link = document.querySelector("[data-selection-link]");
  if (!link) return;
  const limit = Number(link.dataset.limit) || 50;
  const basePath = new URL(link.href, window.location.href).pathname;
  let fallback = []; // when the browser refuses storage (a private window, a policy)
  let page = null; // the /selection/ page's own behaviour, on that page

  // What the server reads as an id (poc_catalogue/selection.py): digits, a database integer.
  function clean(values) {
    const ids = [];
    for (const value of Array.isArray(values) ? values : []) {
      const id = /^[0-9]{1,10}$/.test(String(value).trim()) ? Number(value) : 0;
      if (id > 0 && id <= 2147483647 && !ids.includes(id)) ids.push(id);
    }
    return ids.slice(0, limit);
  }

  function read() {
    try {
      const stored = window.localStorage.getItem(KEY);
      return stored === null ? clean(fallback) : clean(JSON.parse(stored));
    } catch {
      return clean(fallback);
    }
  }

  function store(ids) {
    fallback = clean(ids);
    try {
      window.localStorage.setItem(KEY, JSON.stringify(fallback));
    } catch {
      // Kept for this page only.
    }
  }

  function write(ids) {
    store(ids);
    sync();
  }

  const query = (ids) => ids.map((id) => `poc=${id}`).join("&");
  const selectionUrl = (ids) => basePath + (ids.length ? `?${query(ids)}` : "");

  function say(message) {
    const status = document.querySelector("[data-selection-status]");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  function toggle(id) {
    const ids = read();
    if (ids.includes(id)) {
      write(ids.filter((kept) => kept !== id));
    } else if (ids.length >= limit) {
      say(link.dataset.full);
    } else {
      write([...ids, id]);
    }
  }

  function sync() {
    const ids = read();
    for (const button of document.querySelectorAll("[data-keep]")) {
      button.setAttribute("aria-pressed", String(ids.includes(Number(button.dataset.keep))));
    }
    link.href = selectionUrl(ids);
    const count = link.querySelector("[data-selection-count]");
    if (count) {
      count.textContent = String(ids.length);
      count.hidden = ids.length === 0;
    }
    page?.sync(ids);
  }

  /* /selection/: the server shows the POCs its address names. When they are the visitor's
   * own, the page follows their changes (links, count; a POC let go fades out until the next
   * visit); when they came from someone else's link, the visitor may keep them all. */
  function selectionPage(root) {
    const shown = clean((root.dataset.shown || "").split(","));
    const asked = clean(new URLSearchParams(window.location.search).getAll("poc"));
    const stored = read();
    if (!asked.length && stored.length) {
      window.location.replace(selectionUrl(stored));
      return null;
    }
    const sameSet = (a, b) => a.length === b.length && a.every((id) => b.includes(id));
    // Ids the server dropped from the visitor's own list (a POC since unpublished) leave it.
    if (sameSet(asked, stored) && !sameSet(shown, stored)) store(shown);
    let own = shown.length > 0 && sameSet(asked, stored);
    const shared = root.querySelector("[data-selection-shared]");
    const keepAll = root.querySelector("[data-keep-all]");
    const kept = root.querySelector("[data-selection-kept]");
    const lead = root.querySelector("[data-selection-lead]");
    const share = root.querySelector("[data-selection-share]");
    const tools = root.querySelector("[data-selection-tools]");
    const printed = root.querySelector("[data-selection-print-link]");
    if (shared) shared.hidden = own || shown.length === 0;

    keepAll?.addEventListener("click", () => {
      const ids = read();
      const room = Math.max(0, limit - ids.length);
      const added = shown.filter((id) => !ids.includes(id));
      write([...ids, ...added.slice(0, room)]);
      if (added.length > room) say(link.dataset.full);
      own = sameSet(read(), shown);
      keepAll.hidden = true;
      kept.hidden = false;
      kept.setAttribute("tabindex", "-1");
      kept.focus();
    });

    const copy = root.querySelector("[data-copy-link]");
    const copyStatus = root.querySelector("[data-copy-status]");
    copy?.addEventListener("click", async () => {
      share.select();
      try {
        await navigator.clipboard.writeText(share.value);
        copyStatus.textContent = copy.dataset.copied;
      } catch {
        copyStatus.textContent = copy.dataset.copyFailed;
      }
    });
    root.querySelector("[data-print]")?.addEventListener("click", () => window.print());

    return {
      sync(ids) {
        if (!own) return;
        for (const button of root.querySelectorAll("[data-keep]")) {
          button.closest("li")?.classList.toggle("is-dropped", !ids.includes(Number(button.dataset.keep)));
        }
        // An export without ids would be the whole catalogue: nothing to share or download.
        if (tools) tools.hidden = ids.length === 0;
        const address = selectionUrl(ids);
        history.replaceState(history.state, "", address);
        const absolute = new URL(address, window.location.href).href;
        if (share) share.value = absolute;
        if (printed) printed.textContent = absolute;
        for (const exported of root.querySelectorAll("[data-export]")) {
          const url = new URL(exported.href);
          const others = [...url.searchParams].filter(([name]) => name !== "poc");
          url.search = new URLSearchParams([...ids.map((id) => ["poc", String(id)]), ...others]).toString();
          exported.href = url.href;
        }
        if (lead) {
          const template = ids.length === 0 ? lead.dataset.none : ids.length === 1 ? lead.dataset.one : lead.dataset.other;
          lead.textContent = template.replace("{n}", String(ids.length));
        }
      },
    };
  }

  const root = document.querySelector("[data-selection-page]");
  if (root) {
    page = selectionPage(root);
    if (page === null) return; // leaving for the visitor's own selection
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-keep]");
    if (!button) return;
    event.preventDefault();
    toggle(Number(button.dataset.keep));
  });
  // Another tab kept or let go a POC.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) sync();
  });
  // Cards arrive later too: the catalogue swaps its results in place.
  new MutationObserver((records) => {
    const arrived = records.some((record) => [...record.addedNodes].some(
      (node) => node.nodeType === 1 && (node.matches("[data-keep]") || node.querySelector("[data-keep]"))
    ));
    if (arrived) sync();
  }).observe(document.body, { childList: true, subtree: true });
  sync();
})();
