// Copy buttons and the expiry countdown on the shopper's payment page. The page works without it.
(function () {
  function wire(root) {
    root.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.onclick = function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      };
    });
    root.querySelectorAll(".countdown[data-end]").forEach(function (node) {
      var end = Date.parse(node.dataset.end);
      function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        node.textContent = " (" + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left)";
      }
      tick();
      clearInterval(node._timer);
      node._timer = setInterval(tick, 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });
})();
