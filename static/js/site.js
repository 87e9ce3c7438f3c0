// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.value || target.textContent).then(() => {
    button.textContent = "Copied";
  });
});

// The error summary (templates/includes/error_summary.html), as GOV.UK does it: when a page comes back with
// errors, focus moves to the summary so it is read first; each of its links moves focus to the field itself (a
// plain link to an input only scrolls), with the question (its label, legend or grid row) in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) return;
  event.preventDefault();
  // A set of radios or checkboxes is a fieldset inside the field's wrapper (crispy's div_id_<name>).
  const group = field.closest("[id^='div_id_'] fieldset");
  const question =
    field.closest("tr")?.querySelector("th") ||
    group?.querySelector("legend") ||
    (field.labels && field.labels[0]) ||
    field;
  question.scrollIntoView();
  field.focus({ preventScroll: true });
});

// The menu button of the navigation on narrow screens: Bootstrap's collapse, without its 80 KB bundle (the only
// part of Bootstrap's script our pages used). Without script the menu stays folded, as it did with Bootstrap's.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-bs-toggle='collapse']");
  if (!button) return;
  const menu = document.querySelector(button.dataset.bsTarget);
  if (!menu) return;
  const open = menu.classList.toggle("show");
  button.classList.toggle("collapsed", !open);
  button.setAttribute("aria-expanded", String(open));
});
