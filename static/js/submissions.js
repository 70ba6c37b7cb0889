// After a refused submission, start keyboard and screen reader users at the list of problems.
const errorSummary = document.getElementById("error-summary");
if (errorSummary) {
  errorSummary.focus();
}

// A live count under fields with a length limit (templates/submissions/includes/counter.html).
// The field takes any length: the server says how much is too long, the counter warns before.
// Screen readers hear the count once typing pauses, not at every key.
const ANNOUNCE_AFTER_MS = 800;

function characterCount(text) {
  return [...text.replace(/\r\n/g, "\n").trim()].length; // code points, as the server counts
}

function setUpCounter(field) {
  const counter = document.getElementById(`${field.id}_counter`);
  if (!counter) return;
  const limit = Number(field.dataset.counterLimit);
  const visible = counter.querySelector(".field__counter-count");
  const status = counter.querySelector("[role=status]");
  const plural = new Intl.PluralRules(document.documentElement.lang || undefined);
  const say = (kind, count) =>
    counter.dataset[`${kind}${plural.select(count) === "one" ? "One" : "Other"}`].replace(
      "{count}",
      count,
    );
  let announcement;

  function update() {
    const count = characterCount(field.value);
    const over = count - limit;
    counter.classList.toggle("field__counter--over", over > 0);
    visible.textContent = over > 0 ? `${count} / ${limit} · ${say("over", over)}` : `${count} / ${limit}`;
    clearTimeout(announcement);
    announcement = setTimeout(() => {
      status.textContent = over > 0 ? say("over", over) : say("left", limit - count);
    }, ANNOUNCE_AFTER_MS);
  }

  field.addEventListener("input", update);
  update();
  clearTimeout(announcement); // nothing to announce before the maker types
}

document.querySelectorAll("textarea[data-counter-limit]").forEach(setUpCounter);
