// "Copy link" buttons: shown only where the clipboard works; without JavaScript the
// link stays in a read-only field to copy by hand.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      button.textContent = "Link copied";
    });
  });
});

// "Print receipt": shown where printing works; the print stylesheet keeps the receipt only.
document.querySelectorAll("[data-print]").forEach(function (button) {
  if (!window.print) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
