/* Suggestions as the reader types, for every <form data-suggest> on the site (an ARIA combobox).
 *
 * - Asks /api/suggest on every `input` event, debounced (~120 ms), including while an IME is composing,
 *   so half-typed Korean syllables are searched as they appear; and once more on `compositionend`.
 * - Stale answers are dropped: each request has a sequence number and aborts the one before it.
 * - A query is "settled" (logged once by the server) on Enter or after ~1.5 s without typing.
 * - ArrowUp/ArrowDown move through the list, Enter opens the highlighted article, Escape closes.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 120;
  var SETTLE_MS = 1500;
  var MAX_CHARS = 500;
  var KB = (window.KB = window.KB || {});

  function randomId() {
    if (window.crypto && crypto.getRandomValues) {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    }
    return String(Math.random()).slice(2) + String(Date.now());
  }

  /* The anonymous session id, kept in localStorage as kb_sid (in memory when storage is blocked).
     A same-named cookie carries it to the server's own pages (search results), so URLs never do. */
  KB.sid = function () {
    var sid;
    try {
      sid = localStorage.getItem("kb_sid");
      if (!sid) {
        sid = randomId();
        localStorage.setItem("kb_sid", sid);
      }
    } catch (e) {
      sid = KB._sid || (KB._sid = randomId());
    }
    if (document.cookie.indexOf("kb_sid=" + sid) < 0) {
      document.cookie = "kb_sid=" + sid + "; path=/; max-age=31536000; SameSite=Lax" +
        (location.protocol === "https:" ? "; Secure" : "");
    }
    return sid;
  };

  /* Post one event to /api/events; survives the page being left (keepalive). */
  KB.event = function (body) {
    body.session = KB.sid();
    try {
      return fetch("/api/events", {
        method: "POST", body: JSON.stringify(body), keepalive: true,
        headers: { "Content-Type": "application/json" }
      }).catch(function () {});
    } catch (e) {
      return Promise.resolve();
    }
  };

  function Combobox(form) {
    this.form = form;
    this.input = form.querySelector("[role=combobox]");
    this.list = document.getElementById(this.input.getAttribute("aria-controls"));
    this.lang = form.getAttribute("data-lang") || document.documentElement.lang || "en";
    this.untranslated = form.getAttribute("data-untranslated") || "";
    this.items = [];
    this.active = -1;
    this.seq = 0;
    this.controller = null;
    this.timer = 0;
    this.settleTimer = 0;
    this.settled = "";
    this.shownFor = "";
    this.bind();
  }

  Combobox.prototype.bind = function () {
    var self = this;
    // `input` fires during IME composition too: we search on it anyway (half-typed syllables count).
    this.input.addEventListener("input", function () { self.schedule(DEBOUNCE_MS); });
    this.input.addEventListener("compositionend", function () { self.schedule(0); });
    this.input.addEventListener("keydown", function (e) { self.onKey(e); });
    this.input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 150); });
    this.input.addEventListener("focus", function () { if (self.items.length && self.shownFor === self.query()) self.open(); });
    // mousedown, not click: it runs before the input's blur closes the list
    this.list.addEventListener("mousedown", function (e) {
      var option = e.target.closest("[role=option]");
      if (!option) return;
      e.preventDefault();
      self.choose(Number(option.getAttribute("data-index")));
    });
    this.form.addEventListener("submit", function () { self.close(); });
  };

  /* The text to suggest for; a trailing space stays (one), as it tells the server the last word is finished. */
  Combobox.prototype.query = function () {
    return this.input.value.replace(/^\s+/, "").replace(/\s+$/, " ").slice(0, MAX_CHARS);
  };

  Combobox.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    clearTimeout(this.settleTimer);
    this.timer = setTimeout(function () { self.fetch(false); }, delay);
    this.settleTimer = setTimeout(function () { self.settle(); }, SETTLE_MS);
  };

  /* Ask for suggestions; `settled` asks the server to log the query (once per distinct query). */
  Combobox.prototype.fetch = function (settled) {
    var q = settled ? this.query().trim() : this.query();
    if (!q) {
      this.seq += 1;
      if (this.controller) this.controller.abort();
      this.render([], "");
      return Promise.resolve();
    }
    var self = this;
    var seq = (this.seq += 1);
    if (this.controller) this.controller.abort();
    var controller = (this.controller = window.AbortController ? new AbortController() : null);
    var url = "/api/suggest?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(this.lang) +
      "&sid=" + encodeURIComponent(KB.sid()) + (settled ? "&settled=1" : "");
    return fetch(url, { signal: controller ? controller.signal : undefined, keepalive: settled })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (seq !== self.seq || !data) return; // a newer request went out: this answer is stale
        self.render(data.results || [], q);
      })
      .catch(function () {});
  };

  Combobox.prototype.settle = function () {
    var q = this.query().trim();
    if (!q || q === this.settled) return null;
    this.settled = q;
    return this.fetch(true);
  };

  Combobox.prototype.render = function (results, q) {
    this.items = results;
    this.shownFor = q;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    var self = this;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = self.list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(i));
      var title = document.createElement("span");
      title.className = "suggest-title";
      title.textContent = r.title;
      title.lang = r.lang;
      title.dir = r.lang === "fa" ? "rtl" : "ltr";
      li.appendChild(title);
      var meta = r.lang !== self.lang ? self.untranslated : (r.section || "");
      if (meta) {
        var small = document.createElement("span");
        small.className = "suggest-meta";
        small.textContent = meta;
        if (r.lang === self.lang) small.lang = r.lang;
        li.appendChild(small);
      }
      self.list.appendChild(li);
    });
    if (results.length && document.activeElement === this.input) this.open(); else this.close();
  };

  Combobox.prototype.open = function () {
    if (!this.items.length) return;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.highlight(-1);
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.onKey = function (e) {
    if (e.isComposing || e.keyCode === 229) return; // the IME owns these keys until composition ends
    var n = this.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n) return;
      e.preventDefault();
      if (!this.isOpen()) {
        this.open();
        this.highlight(e.key === "ArrowDown" ? 0 : n - 1);
        return;
      }
      var step = e.key === "ArrowDown" ? 1 : -1;
      var next = this.active + step;
      this.highlight(next < -1 ? n - 1 : next >= n ? -1 : next);
    } else if (e.key === "Enter") {
      if (this.isOpen() && this.active >= 0) {
        e.preventDefault();
        this.choose(this.active);
      }
      // otherwise the form submits: the results page logs the query itself
    } else if (e.key === "Escape") {
      if (this.isOpen()) {
        e.preventDefault();
        this.close();
      }
    }
  };

  Combobox.prototype.choose = function (index) {
    var r = this.items[index];
    if (!r) return;
    this.settle(); // keepalive: the log request outlives the navigation
    var url = "/" + this.lang + "/articles/" + encodeURIComponent(r.slug) + (r.anchor ? "#" + encodeURIComponent(r.anchor) : "");
    this.close();
    window.location.assign(url);
  };

  function start() {
    var forms = document.querySelectorAll("form[data-suggest]");
    for (var i = 0; i < forms.length; i++) {
      if (!forms[i].kbCombobox) forms[i].kbCombobox = new Combobox(forms[i]);
    }
    var sids = document.querySelectorAll("input[type=hidden][name=sid]");
    for (var j = 0; j < sids.length; j++) sids[j].value = KB.sid();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
