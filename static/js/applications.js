// The public forms: one submission per click (the error summary is site.js's, for every form).
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
