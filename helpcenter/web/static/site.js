/* Small behaviours of the site's pages. Needs suggest.js (KB.event).
 *
 * - "Was this helpful?" on article pages: one event per article view, then a thank-you.
 * - A form sent back with errors: focus moves to its error summary (or notice), so a screen reader reads
 *   it and a keyboard continues from it; each link in the summary focuses its field and scrolls the
 *   field's label into view (the GOV.UK error summary pattern).
 */
(function () {
  "use strict";

  function helpful() {
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

  function errorSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (e) {
      var link = e.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      e.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  function start() {
    helpful();
    errorSummary();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
