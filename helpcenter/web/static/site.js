/* "Was this helpful?" on article pages: one event per article view, then a thank-you. Needs suggest.js (KB.event). */
(function () {
  "use strict";

  function start() {
    var boxes = document.querySelectorAll("[data-helpful]");
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("click", function (e) {
        var button = e.target.closest("button[data-event]");
        if (!button || box.getAttribute("data-answered")) return;
        var kind = button.getAttribute("data-event");
        box.setAttribute("data-answered", kind);
        window.KB.event({ type: kind, slug: box.getAttribute("data-slug"), lang: box.getAttribute("data-lang"),
          page: location.pathname });
        box.querySelector(".helpful-buttons").hidden = true;
        box.querySelector(".helpful-question").hidden = true;
        box.querySelector('[data-thanks="' + kind + '"]').hidden = false;
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
