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

// Checkout: when the store keeps unfinished checkouts for a reminder, what the shopper has
// typed is saved as they go, and only if they ticked the reminder box (the server checks).
document.querySelectorAll("form[data-capture-url]").forEach(function (form) {
  var fields = ["name", "phone", "email", "recovery_consent"];
  function save() {
    var data = new FormData();
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (!input) return;
      if (input.type === "checkbox") {
        if (input.checked) data.append(name, "on");
      } else {
        data.append(name, input.value);
      }
    });
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    fetch(form.dataset.captureUrl, { method: "POST", body: data, credentials: "same-origin" });
  }
  fields.forEach(function (name) {
    var input = form.elements[name];
    if (input) input.addEventListener("change", save);
  });
});
