/* Keyboard shortcuts: "/" or Ctrl-K (⌘K on a Mac) puts the cursor in the search box, as on the help
   centers players know. "/" is left alone while the player types in a field (it is a character there);
   Ctrl-K works everywhere. Keys are read by their physical place (event.code) too, so the shortcuts work
   with the Korean or Persian keyboard layout switched on. The box announces them (aria-keyshortcuts). */
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing || e.altKey) return;
    var box = document.getElementById("kb-q");
    if (!box) return;
    var slash = (e.key === "/" || (e.code === "Slash" && !e.shiftKey)) && !e.ctrlKey && !e.metaKey;
    var ctrlK = (e.ctrlKey || e.metaKey) && !e.shiftKey && (e.code === "KeyK" || e.key === "k" || e.key === "K");
    if (!(ctrlK || (slash && !typing(document.activeElement)))) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
})();
