/* Suggestions as the reader types, for every <form data-suggest> on the site (an ARIA combobox).
 *
 * The list follows typing. The server answers in a few milliseconds, so waiting for a pause (a
 * debounce) only made the list late; instead:
 * - a keystroke's text is sent at once when no request is out; otherwise it waits, and only the
 *   latest text waits: it goes when the request out answers, or after STALL_MS if that one is slow
 *   (then two are out, never more);
 * - every request has a sequence number; an answer is painted only if it is newer than the one on
 *   screen, so an answer to an older prefix never replaces a newer one; when one is painted, the
 *   older requests still out are aborted (they could never be painted);
 * - a request whose text is no longer the beginning of what is typed (the reader deleted) is aborted;
 * - `input` fires while an IME composes too, so half-typed Korean syllables are searched as they appear.
 * A query is "settled" (logged once by the server) on Enter or after ~1.5 s without typing.
 * Each paint sets data-painted="<the query>" on the list and a performance mark "kb-suggest-paint"
 * with {q, seq} as detail: bench/typing_feel.py measures the keystroke-to-list time with them.
 *
 * Each suggestion shows its title with the typed words marked, the direct answer (first suggestion,
 * when the API has one) or the snippet with the matched words marked; then "See all results". A polite
 * live region says how many suggestions there are. Focused while empty, the box offers the reader's
 * recent searches (kept in this browser's localStorage only, never sent; clearable) and the popular
 * articles (the form's data-popular). On screens at most 600 px wide the box opens full screen, so the
 * on-screen keyboard does not hide the list. ArrowUp/ArrowDown move, Enter opens, Escape closes.
 * Nothing the server or the reader wrote is parsed as HTML: text goes in as text nodes.
 */
(function () {
  "use strict";

  var STALL_MS = 60; // a request out longer than this no longer holds back the next keystroke's
  var SETTLE_MS = 1500;
  var STATUS_MS = 400; // the live region speaks once typing slows, not on every keystroke
  var MAX_CHARS = 500;
  var RECENT_MAX = 5;
  var PHONE = "(max-width: 600px)";
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

  /* The stylesheet of these components (components.css, beside this script), unless the page links it. */
  var here = document.currentScript && document.currentScript.src;
  function linkStyles() {
    if (!here || document.getElementById("kb-components-css")) return;
    var link = document.createElement("link");
    link.id = "kb-components-css";
    link.rel = "stylesheet";
    link.href = here.replace(/suggest\.js(?:[?#].*)?$/, "components.css");
    document.head.appendChild(link);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function readJSON(value, fallback) {
    try { return value ? JSON.parse(value) : fallback; } catch (e) { return fallback; }
  }

  // --- marking matched text: text nodes and <mark>, never HTML ------------------------------------------

  /* Appends `text` to `node`, the [start, end) ranges (UTF-16 offsets, sorted, disjoint) in <mark>. */
  function appendMarked(node, text, ranges) {
    var pos = 0;
    ranges.forEach(function (r) {
      var start = Math.max(r[0], pos), end = Math.min(r[1], text.length);
      if (start >= end) return;
      if (start > pos) node.appendChild(document.createTextNode(text.slice(pos, start)));
      node.appendChild(el("mark", "", text.slice(start, end)));
      pos = end;
    });
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
    return node;
  }

  function merge(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = [];
    ranges.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  }

  /* The API's spans count code points (Python); JavaScript strings count UTF-16 units. */
  function unitSpans(text, spans) {
    var units = null;
    if (/[\ud800-\udfff]/.test(text)) {
      units = [0];
      Array.from(text).forEach(function (ch) { units.push(units[units.length - 1] + ch.length); });
    }
    return (spans || []).filter(function (s) { return s && s.length === 2 && s[0] < s[1]; }).map(function (s) {
      return units ? [units[Math.min(s[0], units.length - 1)], units[Math.min(s[1], units.length - 1)]] : [s[0], s[1]];
    });
  }

  /* One character folded for matching, keeping the string's length: lower case, Arabic ي/ك as Persian ی/ک. */
  function foldChar(ch) {
    if (ch === "\u064a" || ch === "\u0649") return "\u06cc";
    if (ch === "\u0643") return "\u06a9";
    var lower = ch.toLowerCase();
    return lower.length === ch.length ? lower : ch;
  }
  function fold(text) { return text.replace(/[\s\S]/g, foldChar); }

  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  var HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

  /* Where the typed words occur in `title`: at the start of a word (anywhere in a Korean word, whose
     particles and compounds follow the stem); a one-letter Latin word marks nothing. */
  function wordRanges(title, q) {
    var words = (fold(q).match(WORD) || []).filter(function (w) { return w.length > 1 || HANGUL.test(w) || /[^\x00-\x7f]/.test(w); });
    var hay = fold(title), ranges = [];
    words.forEach(function (w) {
      var from = 0, at;
      while ((at = hay.indexOf(w, from)) >= 0) {
        if (HANGUL.test(w) || at === 0 || !WORD_CHAR.test(hay.charAt(at - 1))) ranges.push([at, at + w.length]);
        from = at + 1;
      }
    });
    return merge(ranges);
  }

  // --- recent searches: this browser only ---------------------------------------------------------------

  function recentKey(lang) { return "kb_recent_" + lang; }

  function loadRecent(lang) {
    try {
      var list = readJSON(localStorage.getItem(recentKey(lang)), []);
      return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string" && s; }).slice(0, RECENT_MAX) : [];
    } catch (e) {
      return [];
    }
  }

  function saveRecent(lang, q) {
    q = (q || "").trim().slice(0, 200);
    if (!q) return;
    var list = loadRecent(lang).filter(function (s) { return s.toLowerCase() !== q.toLowerCase(); });
    list.unshift(q);
    try { localStorage.setItem(recentKey(lang), JSON.stringify(list.slice(0, RECENT_MAX))); } catch (e) { /* private mode */ }
  }

  function clearRecent(lang) {
    try { localStorage.removeItem(recentKey(lang)); } catch (e) { /* nothing kept */ }
  }

  // --- the combobox ---------------------------------------------------------------------------------------

  function Combobox(form) {
    this.form = form;
    this.input = form.querySelector("[role=combobox]");
    this.list = document.getElementById(this.input.getAttribute("aria-controls"));
    this.lang = form.getAttribute("data-lang") || document.documentElement.lang || "en";
    this.S = readJSON(form.getAttribute("data-strings"), {});
    if (!this.S.untranslated) this.S.untranslated = form.getAttribute("data-untranslated") || "";
    this.popular = readJSON(form.getAttribute("data-popular"), []);
    this.items = [];
    this.active = -1;
    this.seq = 0; // the last request's sequence number
    this.painted = 0; // the sequence number of what the list shows
    this.out = []; // requests out: {seq, q, controller, at}
    this.pending = false; // a keystroke's text waits to be sent
    this.sent = null; // the last text sent for typing (not settling)
    this.stallTimer = 0;
    this.settleTimer = 0;
    this.statusTimer = 0;
    this.settled = "";
    this.shownFor = null;
    this.phone = window.matchMedia ? window.matchMedia(PHONE) : null;
    this.status = el("div", "visually-hidden");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.status.setAttribute("aria-atomic", "true");
    this.status.setAttribute("data-suggest-status", "");
    form.appendChild(this.status);
    this.bind();
  }

  Combobox.prototype.bind = function () {
    var self = this;
    // `input` fires during IME composition too: we search on it anyway (half-typed syllables count).
    this.input.addEventListener("input", function () { self.onInput(); });
    this.input.addEventListener("compositionend", function () { self.onInput(); });
    this.input.addEventListener("keydown", function (e) { self.onKey(e); });
    this.input.addEventListener("blur", function () {
      setTimeout(function () { if (!self.overlay() && document.activeElement !== self.input) self.close(); }, 150);
    });
    this.input.addEventListener("focus", function () { self.onFocus(); });
    // mousedown, not click: it runs before the input's blur closes the list
    this.list.addEventListener("mousedown", function (e) {
      var option = e.target.closest("[role=option]");
      if (!option) return;
      e.preventDefault();
      self.choose(Number(option.getAttribute("data-index")));
    });
    this.form.addEventListener("submit", function () {
      saveRecent(self.lang, self.input.value);
      self.close();
      self.leaveOverlay();
    });
  };

  /* The text to suggest for; a trailing space stays (one), as it tells the server the last word is finished. */
  Combobox.prototype.query = function () {
    return this.input.value.replace(/^\s+/, "").replace(/\s+$/, " ").slice(0, MAX_CHARS);
  };

  Combobox.prototype.onFocus = function () {
    if (this.phone && this.phone.matches) this.enterOverlay();
    if (!this.query()) this.showStart();
    else if (this.items.length && this.shownFor === this.query()) this.open();
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(function () { self.settle(); }, SETTLE_MS);
    var q = this.query();
    if (this.phone && this.phone.matches && document.activeElement === this.input) this.enterOverlay();
    if (!q) {
      this.cancel();
      this.showStart();
      return;
    }
    // a request for a text the reader has since deleted can only show the wrong thing
    this.out = this.out.filter(function (r) {
      if (q.indexOf(r.q) === 0) return true;
      r.controller && r.controller.abort();
      return false;
    });
    this.pending = true;
    this.pump();
  };

  /* Sends the pending text now if the scheduling allows, else arranges to try again. */
  Combobox.prototype.pump = function () {
    var self = this;
    if (!this.pending) return;
    var q = this.query();
    if (!q || q === this.sent) { // nothing to ask, or that text was asked already (a second space, a commit)
      this.pending = false;
      return;
    }
    var n = this.out.length;
    var waited = n ? performance.now() - this.out[n - 1].at : 0;
    if (n === 0 || (n === 1 && waited >= STALL_MS)) {
      this.pending = false;
      clearTimeout(this.stallTimer);
      this.stallTimer = 0;
      this.send(q, false);
    } else if (n === 1 && !this.stallTimer) {
      this.stallTimer = setTimeout(function () { self.stallTimer = 0; self.pump(); }, STALL_MS - waited);
    }
    // two out: the next answer (or failure) pumps again
  };

  Combobox.prototype.cancel = function () {
    this.out.forEach(function (r) { if (r.controller) r.controller.abort(); });
    this.out = [];
    this.pending = false;
    this.sent = null;
    clearTimeout(this.stallTimer);
    this.stallTimer = 0;
    this.seq += 1; // nothing asked before this may be painted any more
  };

  /* One request; `settled` asks the server to log the query (once per distinct query). */
  Combobox.prototype.send = function (q, settled) {
    var self = this;
    var seq = (this.seq += 1);
    var controller = !settled && window.AbortController ? new AbortController() : null;
    var request = { seq: seq, q: q, controller: controller, at: performance.now() };
    if (!settled) {
      this.out.push(request);
      this.sent = q;
    }
    var url = "/api/suggest?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(this.lang) +
      "&sid=" + encodeURIComponent(KB.sid()) + (settled ? "&settled=1" : "");
    function finished() {
      var i = self.out.indexOf(request);
      if (i >= 0) self.out.splice(i, 1);
    }
    return fetch(url, { signal: controller ? controller.signal : undefined, keepalive: settled })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        finished();
        // newer than what is shown, and still the beginning of what is typed: paint it
        if (data && seq > self.painted && self.query().indexOf(q.trim()) === 0) {
          self.painted = seq;
          self.out = self.out.filter(function (r) {
            if (r.seq > seq) return true;
            if (r.controller) r.controller.abort(); // older: can never be painted now
            return false;
          });
          self.render(data.results || [], q, data.answer || null);
        }
        self.pump();
      })
      .catch(function () {
        finished();
        self.pump();
      });
  };

  Combobox.prototype.settle = function () {
    var q = this.query().trim();
    if (!q || q === this.settled) return null;
    this.settled = q;
    return this.send(q, true);
  };

  Combobox.prototype.mark = function (q) {
    this.list.setAttribute("data-painted", q);
    if (window.performance && performance.mark) {
      try { performance.mark("kb-suggest-paint", { detail: { q: q, seq: this.painted } }); } catch (e) { /* old browsers */ }
    }
  };

  /* An option element for `this.items[index]`. */
  Combobox.prototype.option = function (index, className) {
    var li = el("li", className);
    li.id = this.list.id + "-" + index;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-index", String(index));
    return li;
  };

  Combobox.prototype.render = function (results, q, answer) {
    var self = this, S = this.S;
    this.items = [];
    this.shownFor = q;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    this.list.removeAttribute("data-start");
    results.forEach(function (r, i) {
      self.items.push({ kind: "article", r: r, rank: i + 1 });
      var li = self.option(self.items.length - 1, "suggest-item");
      var title = appendMarked(el("span", "suggest-title"), r.title, wordRanges(r.title, q));
      title.lang = r.lang;
      title.dir = r.lang === "fa" ? "rtl" : "ltr";
      li.appendChild(title);
      var meta = r.lang !== self.lang ? S.untranslated : (r.section || "");
      if (meta) {
        var small = el("span", "suggest-meta", meta);
        if (r.lang === self.lang) small.lang = r.lang;
        li.appendChild(small);
      }
      if (i === 0 && answer && answer.slug === r.slug && answer.text) {
        // the passage that answers, as text: the reader may not need to open anything (as in widget.js)
        var text = el("span", "suggest-answer", answer.text);
        text.lang = answer.lang;
        text.dir = answer.lang === "fa" ? "rtl" : "ltr";
        li.appendChild(text);
      } else if (r.snippet) {
        var snip = appendMarked(el("span", "suggest-snippet"), r.snippet, merge(unitSpans(r.snippet, r.highlights)));
        snip.lang = r.lang;
        snip.dir = r.lang === "fa" ? "rtl" : "ltr";
        li.appendChild(snip);
      }
      self.list.appendChild(li);
    });
    if (results.length) {
      this.items.push({ kind: "all", q: q.trim() });
      var all = this.option(this.items.length - 1, "suggest-all");
      all.appendChild(el("span", "", format(S.suggest_see_all || "See all results for “{q}”", { q: q.trim() })));
      this.list.appendChild(all);
    }
    this.mark(q);
    this.announce(results.length);
    if (results.length && document.activeElement === this.input) this.open(); else this.close();
  };

  /* What the empty, focused box offers: recent searches (with "clear"), then popular articles. */
  Combobox.prototype.showStart = function () {
    var self = this, S = this.S;
    this.items = [];
    this.shownFor = "";
    this.active = -1;
    this.painted = this.seq;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    this.list.setAttribute("data-start", "");
    var recent = loadRecent(this.lang);
    if (recent.length) {
      var group = this.group("recent", S.suggest_recent, S.suggest_recent_note);
      recent.forEach(function (q) {
        self.items.push({ kind: "recent", q: q });
        var li = self.option(self.items.length - 1, "suggest-recent");
        var span = el("span", "suggest-title", q);
        span.dir = "auto";
        li.appendChild(span);
        group.appendChild(li);
      });
      this.items.push({ kind: "clear" });
      group.appendChild(this.option(this.items.length - 1, "suggest-clear")).textContent = S.suggest_clear_recent || "Clear";
    }
    if (this.popular.length) {
      var popular = this.group("popular", S.suggest_popular);
      this.popular.forEach(function (a) {
        self.items.push({ kind: "popular", r: a });
        var li = self.option(self.items.length - 1, "suggest-popular");
        var title = el("span", "suggest-title", a.title);
        title.lang = a.lang;
        title.dir = a.lang === "fa" ? "rtl" : "ltr";
        li.appendChild(title);
        if (a.lang !== self.lang && S.untranslated) li.appendChild(el("span", "suggest-meta", S.untranslated));
        popular.appendChild(li);
      });
    }
    this.mark("");
    clearTimeout(this.statusTimer);
    if (this.items.length && document.activeElement === this.input) this.open(); else this.close();
  };

  /* A labelled group of options in the listbox; returns the element options go in. */
  Combobox.prototype.group = function (name, label, note) {
    var li = el("li", "suggest-group suggest-group-" + name);
    li.setAttribute("role", "group");
    var head = el("div", "suggest-group-head");
    head.id = this.list.id + "-" + name;
    head.appendChild(el("span", "suggest-group-label", label || ""));
    if (note) head.appendChild(el("span", "suggest-group-note", note));
    li.setAttribute("aria-labelledby", head.id);
    li.appendChild(head);
    var ul = el("ul", "suggest-group-list");
    ul.setAttribute("role", "none");
    li.appendChild(ul);
    this.list.appendChild(li);
    return ul;
  };

  /* The live region says how many suggestions there are, once typing slows (plural rules of the language). */
  Combobox.prototype.announce = function (n) {
    var self = this, S = this.S;
    clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(function () {
      var text;
      if (!n) text = S.suggest_status_none || "";
      else {
        var one = window.Intl && Intl.PluralRules ? new Intl.PluralRules(self.lang).select(n) === "one" : n === 1;
        var number = window.Intl ? new Intl.NumberFormat(self.lang).format(n) : String(n);
        text = format(one && S.suggest_status_one ? S.suggest_status_one : S.suggest_status, { n: number });
      }
      self.say(text);
    }, STATUS_MS);
  };

  Combobox.prototype.say = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
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
      } else if (this.overlay()) {
        e.preventDefault();
        this.leaveOverlay();
        this.input.blur();
      }
    }
  };

  Combobox.prototype.go = function (url) {
    this.close();
    this.leaveOverlay();
    window.location.assign(url);
  };

  Combobox.prototype.searchUrl = function (q) {
    return "/" + this.lang + "/search?q=" + encodeURIComponent(q);
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) return;
    if (item.kind === "clear") {
      clearRecent(this.lang);
      this.showStart();
      this.say(this.S.suggest_recent_cleared || "");
      this.input.focus();
      return;
    }
    if (item.kind === "recent") {
      saveRecent(this.lang, item.q);
      this.go(this.searchUrl(item.q));
      return;
    }
    if (item.kind === "all") {
      saveRecent(this.lang, item.q);
      this.settle(); // keepalive: the log request outlives the navigation
      this.go(this.searchUrl(item.q));
      return;
    }
    var r = item.r;
    if (item.kind === "article") {
      saveRecent(this.lang, this.input.value);
      this.settle();
      KB.event({ type: "suggestion_clicked", slug: r.slug, lang: this.lang, query: this.query().trim(),
                 rank: item.rank, source: "search_box" });
    }
    this.go("/" + this.lang + "/articles/" + encodeURIComponent(r.slug) + (r.anchor ? "#" + encodeURIComponent(r.anchor) : ""));
  };

  // --- full screen on phones ------------------------------------------------------------------------------

  Combobox.prototype.overlay = function () {
    return this.form.classList.contains("search-overlay");
  };

  Combobox.prototype.enterOverlay = function () {
    if (this.overlay()) return;
    var self = this;
    if (!this.closeButton) {
      var button = (this.closeButton = el("button", "suggest-close"));
      button.type = "button";
      button.setAttribute("aria-label", this.S.close || "Close");
      button.appendChild(el("span", "", "\u00d7")).setAttribute("aria-hidden", "true");
      button.addEventListener("click", function () { self.close(); self.leaveOverlay(); });
      this.form.insertBefore(button, this.form.firstChild);
    }
    this.form.classList.add("search-overlay");
    document.documentElement.classList.add("kb-overlay-open");
  };

  Combobox.prototype.leaveOverlay = function () {
    if (!this.overlay()) return;
    this.form.classList.remove("search-overlay");
    document.documentElement.classList.remove("kb-overlay-open");
  };

  function start() {
    var forms = document.querySelectorAll("form[data-suggest]");
    if (forms.length) linkStyles();
    for (var i = 0; i < forms.length; i++) {
      if (!forms[i].kbCombobox) forms[i].kbCombobox = new Combobox(forms[i]);
    }
    var sids = document.querySelectorAll("input[type=hidden][name=sid]");
    for (var j = 0; j < sids.length; j++) sids[j].value = KB.sid();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
