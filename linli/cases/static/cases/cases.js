/* Small enhancements of the case pages; everything works without them. */
document.documentElement.classList.add("js");

document.addEventListener("click", (event) => {
  const fill = event.target.closest("[data-fill]");
  if (fill) {
    // A canned reply goes into the note; the handler edits it before sending.
    const field = document.querySelector(fill.dataset.fill);
    if (field) {
      field.value = field.value ? `${field.value}\n${fill.dataset.text}` : fill.dataset.text;
      field.focus();
    }
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const source = document.querySelector(copy.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => {
        copy.textContent = copy.dataset.copied || copy.textContent;
      });
    }
  }
});

document.addEventListener("change", (event) => {
  if (!event.target.matches(".select-all")) return;
  const form = event.target.closest("form");
  for (const box of form.querySelectorAll('input[name="cases"]')) box.checked = event.target.checked;
});
