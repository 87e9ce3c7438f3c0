// The public forms: one submission per click, and the error summary announced when the page comes back.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = form.querySelector("[data-submit-once]");
  if (!button) return;
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  button.setAttribute("aria-disabled", "true");
  button.classList.add("disabled");
  button.textContent = button.dataset.sendingText || "Sending…";
});

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
