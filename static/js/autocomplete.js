/* Autocomplete for every search box: suggestions from the catalogue API as an ARIA combobox.
 * Without JavaScript, or if the API is unavailable, the box is a plain search field. */
(() => {
  "use strict";
  const MIN_LENGTH = 2;

  function itemsFrom(data) {
    const list = Array.isArray(data) ? data : data.results || data.suggestions || [];
    return list
      .map((item) => (typeof item === "string" ? { label: item } : { label: item.title || item.label || item.text || "", url: item.url }))
      .filter((item) => item.label);
  }

  document.querySelectorAll(".search-box[data-autocomplete-url]").forEach((box, boxIndex) => {
    const input = box.querySelector("input[role=combobox]");
    const listbox = box.querySelector("[role=listbox]");
    if (!input || !listbox) return;
    const form = input.closest("form");
    let items = [];
    let active = -1;
    let timer = null;
    let controller = null;

    const close = () => {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      active = index;
      listbox.querySelectorAll("[role=option]").forEach((option, position) => {
        option.setAttribute("aria-selected", String(position === index));
        if (position === index) input.setAttribute("aria-activedescendant", option.id);
      });
    };
    const choose = (item) => {
      close();
      if (item.url) {
        window.location.assign(item.url);
      } else {
        input.value = item.label;
        form.requestSubmit();
      }
    };
    const render = () => {
      listbox.textContent = "";
      items.forEach((item, index) => {
        const option = document.createElement("li");
        option.id = `suggestion-${boxIndex}-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label;
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(item);
        });
        listbox.append(option);
      });
      listbox.hidden = items.length === 0;
      input.setAttribute("aria-expanded", String(items.length > 0));
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < MIN_LENGTH) return close();
      timer = setTimeout(async () => {
        if (controller) controller.abort();
        controller = new AbortController();
        try {
          const address = new URL(box.dataset.autocompleteUrl, window.location.href);
          address.searchParams.set("q", q);
          // The page's language, not the browser's: titles and addresses as this page shows them.
          address.searchParams.set("lang", document.documentElement.lang);
          const response = await fetch(address, { signal: controller.signal });
          if (!response.ok) return close();
          items = itemsFrom(await response.json()).slice(0, 8);
          render();
        } catch {
          close();
        }
      }, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (listbox.hidden || items.length === 0) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + items.length) % items.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
    // A submitted search needs no more suggestions, even ones still on their way.
    form.addEventListener("submit", () => {
      clearTimeout(timer);
      if (controller) controller.abort();
      close();
    });
  });
})();
