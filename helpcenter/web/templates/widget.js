/* Help-center suggestions for any ticket form, from one tag:
 *
 *   <script src="https://help.example/widget.js" data-kb-fields="#subject,#description" data-kb-lang="ko"></script>
 *
 * As the player types in the named fields, articles that may answer them appear in a box after the last
 * field. Opening one and answering "This solved my problem" records a deflected ticket (ticket_abandoned).
 * Every URL is absolute, based on this script's own src, so the host page may live on any origin
 * (the help center must list it in KB_CORS_ORIGINS).
 *
 * The help center's own ticket form uses it too, with: data-kb-target (where the box goes; with
 * data-kb-target-media, only while that media query matches),
 * data-kb-inline="1" (read articles in a panel beside the form), data-kb-record (a hidden input that
 * receives the shown slugs) and data-kb-form (replaced by the thank-you when the problem is solved).
 *
 * - The words every ticket says ("inquiry", "question", "contact", 문의, 질문, سؤال…; GENERIC below) are left
 *   out of the query: in a ticket form they name the form, not the problem, and kept they filled the box
 *   with "How to contact support".
 * - "This solved my problem" can be taken back ("I still need to send a request"): the form returns with
 *   everything typed. While solved, the host form's submit buttons are disabled and its submit is held.
 * - When the API cannot be called (the host's origin missing from KB_CORS_ORIGINS, the help center down)
 *   the box says suggestions are unavailable and the console says why, naming the setting.
 */
(function () {
  "use strict";

  var STRINGS = {{ strings|tojson }};
  var DEBOUNCE_MS = 250;
  var MIN_CHARS = 2;
  var MAX_CHARS = 500;

  var script = document.currentScript;
  if (!script) return;
  var base = script.src.replace(/\/widget\.js(?:[?#].*)?$/, "");
  function attr(name) { return script.getAttribute("data-kb-" + name) || ""; }
  var lang = STRINGS[attr("lang")] ? attr("lang") : "en";
  var S = STRINGS[lang];
  var inline = attr("inline") === "1";
  var source = inline ? "contact_form" : "widget";
  var visitField = attr("visit") ? document.querySelector(attr("visit")) : null; // the form sends it with the ticket
  // one id per page load of the form: the deflection funnel counts visits, not browsers
  var visit = (function () {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  })();
  if (visitField) visitField.value = visit;

  var CSS = {{ css|tojson }};

  /* Whole words that only say "this is a request to support" (each language's, in every form: players mix
     them); compared lower-cased, without the punctuation around them, Arabic ي/ك read as Persian ی/ک.
     A Korean word counts with whatever ending it has (문의드립니다, 문의요, 질문이…) and while half-typed. */
  var GENERIC = [
    /^(?:hi|hello|hey|dear|please|pls|thanks|thank|inquiry|inquiries|enquiry|enquiries|question|questions|query|contact|contacting|request|regarding|support|help|team|customer|service)$/,
    /^(?:1:1)?(?:(?:문의|질문|상담|요청|고객센터|안녕하|감사|수고)[가-힣]*)?$/,
    /^(?:سلام|سوال|سؤال|سوالی|سؤالی|پرسش|تماس|درخواست|پشتیبانی|استعلام|لطفا|لطفاً|ممنون|مرسی)$/
  ];

  function generic(word) {
    var core = word.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "").toLowerCase().replace(/\u064a/g, "\u06cc").replace(/\u0643/g, "\u06a9");
    return !!core && GENERIC.some(function (re) { return re.test(core); });
  }

  /* `text` without its generic request words; the spacing (and so a trailing space) stays. */
  function withoutGeneric(text) {
    return text.split(/(\s+)/).map(function (part) { return /\S/.test(part) && generic(part) ? "" : part; }).join("")
      .replace(/[^\S\n]{2,}/g, " ");
  }

  function sid() {
    try {
      var value = localStorage.getItem("kb_sid");
      if (!value) {
        var bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        value = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
        localStorage.setItem("kb_sid", value);
      }
      return value;
    } catch (e) {
      return (sid.memory = sid.memory || String(Math.random()).slice(2));
    }
  }

  /* text/plain keeps cross-origin posts "simple" (no preflight); the API reads the body as JSON anyway. */
  function post(body) {
    body.session = sid();
    body.lang = lang;
    body.source = source;
    body.visit = visit;
    try {
      fetch(base + "/api/events", { method: "POST", mode: "cors", keepalive: true, body: JSON.stringify(body),
        headers: { "Content-Type": "text/plain" } }).catch(function () {});
    } catch (e) { /* events are best effort */ }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function articleUrl(slug) {
    return base + "/" + lang + "/articles/" + encodeURIComponent(slug);
  }

  /* The snippet as text nodes with the matched spans in <mark>: nothing from the server is parsed as HTML. */
  function snippet(text, spans) {
    var p = el("p", "kbw-snippet");
    var pos = 0;
    (spans || []).slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (span) {
      var start = Math.max(span[0], pos), end = Math.min(span[1], text.length);
      if (start >= end) return;
      p.appendChild(document.createTextNode(text.slice(pos, start)));
      p.appendChild(el("mark", "", text.slice(start, end)));
      pos = end;
    });
    p.appendChild(document.createTextNode(text.slice(pos)));
    return p;
  }

  function Widget(fields) {
    this.fields = fields;
    this.seq = 0;
    this.timer = 0;
    this.controller = null;
    this.results = [];
    this.query = "";
    this.shownSets = {};
    this.shownSlugs = [];
    this.opened = {}; // slugs opened in a new tab: their card keeps its "solved" offer when the list redraws
    this.settled = "";
    this.done = false;
    // data-kb-target-media: use the target only on screens it suits (a side column), else follow the fields
    var media = attr("target-media");
    var target = attr("target") && (!media || window.matchMedia(media).matches) && document.querySelector(attr("target"));
    this.box = el("div", "kbw");
    this.box.lang = lang;
    this.box.dir = lang === "fa" ? "rtl" : "ltr";
    this.box.setAttribute("aria-live", "polite");
    this.target = target;
    if (target) {
      this.placeholder = Array.prototype.slice.call(target.children);
      target.appendChild(this.box);
    } else {
      this.placeholder = [];
      fields[fields.length - 1].insertAdjacentElement("afterend", this.box);
    }
    this.box.hidden = true;
    this.bind();
  }

  Widget.prototype.bind = function () {
    var self = this;
    this.fields.forEach(function (field) {
      field.addEventListener("input", function () { self.schedule(DEBOUNCE_MS); });
      field.addEventListener("compositionend", function () { self.schedule(0); });
    });
    var form = this.fields[0].form;
    if (form && !inline) {
      // The host's server does not log the text: settle it here, once, as the form goes.
      form.addEventListener("submit", function () { self.fetch(true); });
    }
  };

  /* The fields' text; a trailing space stays (one), as it tells the server the last word is finished. */
  Widget.prototype.text = function () {
    var filled = this.fields.map(function (f) { return withoutGeneric(f.value); }).filter(function (v) { return v.trim(); });
    var text = filled.map(function (v) { return v.trim(); }).join("\n");
    if (filled.length && /\s$/.test(filled[filled.length - 1])) text += " ";
    return text.slice(0, MAX_CHARS);
  };

  Widget.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.fetch(false); }, delay);
  };

  Widget.prototype.fetch = function (settled) {
    if (this.done) return;
    var q = this.text();
    if (settled) q = q.trim();
    if (settled && (q === this.settled || q.length < MIN_CHARS)) return;
    var seq = (this.seq += 1);
    if (this.controller) this.controller.abort();
    if (q.trim().length < MIN_CHARS) {
      this.render([], q);
      return;
    }
    if (settled) this.settled = q;
    var self = this;
    var controller = (this.controller = new AbortController());
    // POSTed: what the player types stays out of URLs (and so out of every proxy's logs); as text/plain
    // the request is "simple" across origins, with no preflight
    var body = JSON.stringify({ q: q, lang: lang, sid: sid(), settled: !!settled });
    fetch(base + "/api/suggest", { method: "POST", mode: "cors", body: body, headers: { "Content-Type": "text/plain" },
      signal: settled ? undefined : controller.signal, keepalive: settled })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || seq !== self.seq) return; // stale: a newer request went out
        self.unavailable(false);
        self.render(data.answered ? data.results || [] : [], q, data.answer);
      })
      .catch(function (err) {
        if (err && err.name !== "AbortError") self.failed(err);
      });
  };

  /* The API could not be called. A browser gives a script no reason (a refused origin and a server that
     is down look alike), so ask once more without CORS: an answer means the help center is up and
     refuses this page's origin. */
  Widget.prototype.failed = function (err) {
    var self = this;
    if (this.reported) return this.unavailable(true);
    this.reported = true;
    this.unavailable(true);
    if (!window.console) return;
    var origin = location.origin;
    if (base.indexOf(origin) === 0) {
      console.error("kb widget: could not reach the help center's API at " + base + "/api/suggest (" + err + ")");
      return;
    }
    fetch(base + "/healthz", { mode: "no-cors", cache: "no-store" }).then(function () {
      console.error("kb widget: the help center at " + base + " does not allow this page's origin " + origin +
        " to call its API, so no suggestions can be shown. Add " + origin + " to the help center's KB_CORS_ORIGINS " +
        "setting (comma-separated origins) and restart it.");
    }, function () {
      console.error("kb widget: could not reach the help center at " + base + " (is it up, and does this page's " +
        "Content-Security-Policy allow connect-src " + base + "?); if it is up, check that KB_CORS_ORIGINS lists " +
        origin + ".");
    });
  };

  /* Tells the player, in the box, that suggestions cannot be shown here (or takes that back). */
  Widget.prototype.unavailable = function (on) {
    if (!on) {
      if (this.notice) this.notice.remove();
      this.notice = null;
      return;
    }
    if (this.panelOpen || this.done || this.notice) return;
    this.results = [];
    this.box.textContent = "";
    this.placeholder.forEach(function (node) { node.hidden = true; });
    this.notice = el("p", "kbw-unavailable", S.widget_unavailable);
    this.notice.setAttribute("role", "status");
    this.box.appendChild(this.notice);
    this.box.hidden = false;
  };

  Widget.prototype.render = function (results, q, answer) {
    if (this.panelOpen || this.done) return; // the player is reading an article, or solved: keep it until they go back
    this.results = results;
    this.answer = answer;
    this.query = q.trim();
    this.box.textContent = "";
    this.notice = null;
    this.placeholder.forEach(function (node) { node.hidden = results.length > 0; });
    if (!results.length) {
      this.box.hidden = true;
      return;
    }
    var self = this;
    this.box.hidden = false;
    this.box.appendChild(el("p", "kbw-head", S.suggest_title));
    var list = el("ul", "kbw-list");
    results.forEach(function (r, i) {
      var item = el("li", "kbw-item");
      item.dir = r.lang === "fa" ? "rtl" : "ltr"; // an English article's card reads left to right, even in a Persian box
      var link = el("a", "kbw-link", r.title);
      link.href = articleUrl(r.slug) + (r.anchor ? "#" + encodeURIComponent(r.anchor) : "");
      link.target = "_blank";
      link.rel = "noopener";
      link.lang = r.lang;
      link.addEventListener("click", function (e) { self.open(r, i, item, e); });
      item.appendChild(link);
      if (r.lang !== lang) {
        var badge = el("span", "kbw-badge", S.untranslated);
        badge.lang = lang;
        badge.dir = self.box.dir;
        item.appendChild(badge);
      }
      if (i === 0 && answer && answer.slug === r.slug) {
        // the passage that answers, as text: the player may not need to open anything
        var text = el("p", "kbw-answer", answer.text);
        text.lang = answer.lang;
        item.appendChild(text);
      } else if (r.snippet) {
        var snip = snippet(r.snippet, r.highlights);
        snip.lang = r.lang;
        item.appendChild(snip);
      }
      if (self.opened[r.slug]) item.appendChild(self.actions(r, false));
      list.appendChild(item);
    });
    this.box.appendChild(list);
    var slugs = results.map(function (r) { return r.slug; });
    var key = slugs.join(",");
    if (!this.shownSets[key]) { // once per distinct set of articles
      this.shownSets[key] = true;
      post({ type: "suggestion_shown", query: q, slugs: slugs });
    }
    slugs.forEach(function (s) { if (self.shownSlugs.indexOf(s) < 0) self.shownSlugs.push(s); });
    var record = attr("record") && document.querySelector(attr("record"));
    if (record) record.value = this.shownSlugs.join(",");
  };

  Widget.prototype.open = function (r, rank, item, event) {
    post({ type: "suggestion_clicked", slug: r.slug, query: this.query, rank: rank + 1 });
    if (!inline) { // it opens in a new tab; offer the answer here (and on every redraw that lists it)
      this.opened[r.slug] = true;
      if (!item.querySelector(".kbw-actions")) item.appendChild(this.actions(r, false));
      return;
    }
    event.preventDefault();
    var self = this;
    this.panelOpen = true;
    this.box.textContent = "";
    var panel = el("div", "kbw-panel", S.loading);
    this.box.appendChild(panel);
    fetch(articleUrl(r.slug) + "?partial=1", { mode: "cors" })
      .then(function (resp) { return resp.ok ? resp.text() : ""; })
      .then(function (html) {
        panel.innerHTML = html; // the help center's own sanitized article fragment
        self.box.appendChild(self.actions(r, true));
        panel.setAttribute("tabindex", "-1");
        panel.focus({ preventScroll: true });
      })
      .catch(function () { panel.textContent = ""; });
  };

  Widget.prototype.actions = function (r, withBack) {
    var self = this;
    var actions = el("div", "kbw-actions");
    var solved = el("button", "kbw-btn", S.solved);
    solved.type = "button";
    solved.addEventListener("click", function () { self.solved(r); });
    actions.appendChild(solved);
    if (withBack) {
      var back = el("button", "kbw-btn kbw-btn-ghost", S.not_solved);
      back.type = "button";
      back.addEventListener("click", function () {
        self.panelOpen = false;
        self.render(self.results, self.query, self.answer);
        self.fields[self.fields.length - 1].focus();
      });
      actions.appendChild(back);
    }
    return actions;
  };

  Widget.prototype.solved = function (r) {
    var self = this;
    this.done = true;
    post({ type: "ticket_abandoned", slug: r.slug, query: this.query, deflected: true });
    var message = (this.message = el("div", "kbw-done"));
    message.lang = lang;
    message.dir = this.box.dir;
    message.setAttribute("role", "status");
    message.setAttribute("tabindex", "-1");
    message.appendChild(el("strong", "", S.deflected_title));
    message.appendChild(document.createTextNode(S.deflected_text));
    if (attr("home")) {
      var home = el("a", "", attr("home-label") || attr("home"));
      home.href = attr("home");
      var p = el("p", "kbw-home");
      p.appendChild(home);
      message.appendChild(p);
    }
    // taken back: the form returns as the player left it
    var back = el("button", "kbw-btn kbw-btn-ghost kbw-back", S.solved_back);
    back.type = "button";
    back.addEventListener("click", function () { self.unsolved(); });
    message.appendChild(back);
    var form = attr("form") && document.querySelector(attr("form"));
    if (form) {
      form.parentNode.insertBefore(message, form);
      form.hidden = true;
      (this.target || this.box).hidden = true;
      this.hiddenForm = form;
    } else {
      this.box.textContent = "";
      this.box.appendChild(message);
      this.holdHostForm(true);
    }
    message.focus({ preventScroll: true });
  };

  /* "I still need to send a request": back to the form, with what was typed and the suggestions. */
  Widget.prototype.unsolved = function () {
    this.done = false;
    this.panelOpen = false;
    if (this.message) this.message.remove();
    this.message = null;
    if (this.hiddenForm) {
      this.hiddenForm.hidden = false;
      (this.target || this.box).hidden = false;
      this.hiddenForm = null;
    }
    this.holdHostForm(false);
    this.render(this.results, this.query, this.answer);
    this.fields[this.fields.length - 1].focus();
  };

  /* While the player says they are solved, the host page's form cannot be sent: its submit buttons are
     disabled (those this script disabled are enabled again) and a submit (Enter in a field) is held. */
  Widget.prototype.holdHostForm = function (hold) {
    var form = this.fields[0].form;
    if (!form) return;
    if (!this.holdSubmit) {
      var self = this;
      this.holdSubmit = function (e) {
        if (!self.done) return;
        e.preventDefault();
        e.stopImmediatePropagation();
      };
      form.addEventListener("submit", this.holdSubmit, true);
    }
    var buttons = form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit], input[type=image]");
    Array.prototype.forEach.call(buttons, function (b) {
      if (hold && !b.disabled) {
        b.disabled = true;
        b.setAttribute("data-kbw-held", "");
      } else if (!hold && b.hasAttribute("data-kbw-held")) {
        b.disabled = false;
        b.removeAttribute("data-kbw-held");
      }
    });
  };

  function start() {
    var selectors = attr("fields").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var fields = selectors.map(function (s) { return document.querySelector(s); }).filter(Boolean);
    if (!fields.length) {
      if (window.console) console.warn("kb widget: no field matches data-kb-fields=" + attr("fields"));
      return;
    }
    if (!document.getElementById("kbw-style")) {
      var style = el("style", "", CSS);
      style.id = "kbw-style";
      document.head.appendChild(style);
    }
    var widget = new Widget(fields);
    if (widget.text().length >= MIN_CHARS) widget.schedule(0); // a form re-shown with the player's text
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
