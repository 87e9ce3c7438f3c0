// A live count under every text box with a limit; the limit itself is in the field's help text, so the page says
// it without this script too (cohort_site/core/forms.py, FreeTextMixin).
document.querySelectorAll("textarea[maxlength]").forEach((box) => {
  const limit = Number(box.getAttribute("maxlength"));
  const count = document.createElement("div");
  count.className = "form-text text-limit-count";
  count.id = `${box.id}_count`;
  // Read out when typing pauses, not at every key.
  count.setAttribute("aria-live", "polite");
  const help = document.getElementById(`${box.id}_helptext`);
  (help || box).insertAdjacentElement("afterend", count);
  const show = () => {
    const left = limit - box.value.length;
    count.textContent = `${left.toLocaleString("en-GB")} of ${limit.toLocaleString("en-GB")} characters left`;
  };
  let pause;
  box.addEventListener("input", () => {
    clearTimeout(pause);
    pause = setTimeout(show, 400);
  });
  show();
});
