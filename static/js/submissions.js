// After a refused submission, start keyboard and screen reader users at the list of problems.
const errorSummary = document.getElementById("error-summary");
if (errorSummary) {
  errorSummary.focus();
}
