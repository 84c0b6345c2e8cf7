"""Accessibility in a real browser: axe-core (WCAG 2.0/2.1 A and AA rules) over every kind of page the
players and editors see, in English, Korean and Persian, on a desktop and a phone screen.

axe-core comes from npm (`package.json`, installed into node_modules/ by `make install-test`); it is
put into each page by the browser itself (an init script), so the site's Content-Security-Policy, which
refuses inline scripts, stays on. One browser and one live server serve every test of the module.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from test_browser import ARGS, CHROMIUM, TIMEOUT, base_url, browser, type_ticket  # noqa: F401  (fixtures, reused)

from helpcenter.insights.db import metadata
from helpcenter.insights.editors import add_editor
from helpcenter.insights.gaps import GapReport
from helpcenter.insights.tickets import access_key, add_ticket
from helpcenter.languages import LANGS
from helpcenter.web import i18n

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
EMAIL, PASSWORD = "a11y-editor@example.com", "accessible dashboards 7"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no system Chromium (make install-test installs it)"),
              pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: `make install-test` runs "
                                                         "`npm ci`, which puts it in node_modules/")]

QUERIES = {"en": "how long does a withdrawal take", "ko": "환전 언제 돼요", "fa": "رمزمو یادم رفته"}
TYPED = {"en": "password", "ko": "비번", "fa": "رمز"}
TICKET = {"en": ("Password", "I forgot my password and no email arrived"), "ko": ("비번", "비밀번호를 잊어버렸어요"),
          "fa": ("رمز", "رمز عبورم را فراموش کردم")}
NO_ANSWER = "best lasagna recipe with spinach"


@pytest.fixture(scope="module")
def data(app):
    """What the pages need to show everything they can: a ticket (its page), an editor, logged
    queries and votes (the dashboard's charts and tables), gap groups (the gap report's actions)."""
    db = app.extensions["kb_db"]
    add_editor(db, EMAIL, PASSWORD)
    client = app.test_client()
    for lang, q in [("en", "withdrawal time"), ("ko", "상담원 채용 하나요"), ("ko", "도박 당첨금 세금 내야 하나요"),
                    ("fa", "استخدام پشتیبان دارید"), ("en", "are you hiring support agents"), ("en", NO_ANSWER)]:
        client.get("/api/search", query_string={"q": q, "lang": lang})
    client.post("/api/events", json={"type": "article_not_helpful", "slug": "reset-password", "lang": "ko"})
    client.post("/api/events", json={"type": "article_helpful", "slug": "withdrawal-times", "lang": "en"})
    app.extensions["kb_writer"].flush()
    index = app.extensions["kb_searcher"].get().index
    GapReport(db, index.encoder, index.passage_mean).regroup()
    tickets = {}
    for lang in LANGS:
        ticket = add_ticket(db, lang=lang, category="withdrawals", subject={"en": "Slow withdrawal", "ko": "환전 지연",
                            "fa": "برداشت دیر شد"}[lang], description="…", email="player@example.com")
        tickets[lang] = f"/{lang}/tickets/{ticket.number}?key={access_key(app.secret_key, ticket.uid)}"
    return SimpleNamespace(tickets=tickets)


@pytest.fixture(scope="module")
def widget_host(app, base_url):  # noqa: F811
    """Another site's ticket form (another origin), labelled as a form should be, embedding the widget."""
    from werkzeug.serving import make_server

    def host_app(environ, start_response):
        lang = environ["PATH_INFO"].rsplit("/", 1)[-1]
        direction = "rtl" if lang == "fa" else "ltr"
        html = (f'<!doctype html><html lang="{lang}" dir="{direction}"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop support</title>'
                f'<main><h1>Support</h1><form><p><label for="subject">Subject</label> <input id="subject"></p>'
                f'<p><label for="description">Description</label> <textarea id="description"></textarea></p>'
                f'<button>Send</button></form></main>'
                f'<script src="{base_url}/widget.js" data-kb-fields="#subject,#description" '
                f'data-kb-lang="{lang}"></script>')
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    server = make_server("localhost", 0, host_app)
    thread = threading.Thread(target=server.serve_forever, name="test-a11y-host", daemon=True)
    thread.start()
    origin = f"http://localhost:{server.server_port}"
    app.config["KB_CORS_ORIGINS"] = origin
    yield origin + "/support"
    app.config["KB_CORS_ORIGINS"] = ""
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):  # noqa: F811
    """A fresh browser context of one screen size, axe-core loaded into every page it opens."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="en-US")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield SimpleNamespace(page=page, name=request.param)
    context.close()


def axe(page) -> list[str]:
    """The violations axe finds in the page as it is now, one line per rule and element."""
    page.evaluate("document.fonts.ready")
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node['failureSummary']}"
            for v in result["violations"] for node in v["nodes"]]


def check(page, url: str, found: dict[str, list[str]], label: str | None = None) -> None:
    page.goto(url)
    violations = axe(page)
    if violations:
        found[label or url] = violations


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", LANGS)
def test_players_pages_have_no_axe_violations(screen, base_url, data, widget_host, lang):  # noqa: F811
    page, found, wide = screen.page, {}, []
    paths = [f"/{lang}/", f"/{lang}/categories/withdrawals", f"/{lang}/articles/withdrawal-times",
             f"/{lang}/articles/crypto-deposits", f"/{lang}/search?q={QUERIES[lang]}",
             f"/{lang}/search?q={NO_ANSWER}", f"/{lang}/search", f"/{lang}/contact", data.tickets[lang],
             f"/{lang}/articles/no-such-article"]
    for path in paths:
        check(page, base_url + path, found)
        if not no_horizontal_scroll(page):
            wide.append(path)
    # the "why not?" form a "no" vote opens
    page.goto(f"{base_url}/{lang}/articles/withdrawal-times")
    page.locator("[data-event=article_not_helpful]").click()
    page.locator(".why-form").wait_for(state="visible")
    if violations := axe(page):
        found["article, after a no vote"] = violations
    # the search box with its suggestions open
    page.goto(f"{base_url}/{lang}/")
    page.locator("#kb-q").click()
    page.keyboard.type(TYPED[lang], delay=30)
    page.locator("#kb-suggest-list [role=option]").first.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    if violations := axe(page):
        found["home, suggestions open"] = violations
    # the ticket form with the widget's suggestions showing
    page.goto(f"{base_url}/{lang}/contact")
    type_ticket(page, *TICKET[lang])
    if violations := axe(page):
        found["contact, suggestions showing"] = violations
    # the widget on another site's form
    page.goto(f"{widget_host}/{lang}")
    type_ticket(page, *TICKET[lang], fields=("#subject", "#description"))
    if violations := axe(page):
        found["widget on another site"] = violations
    assert not found, f"{lang}, {screen.name}:\n{report(found)}"
    assert not wide, f"pages wider than the {screen.name} screen: {wide}"


def test_editors_pages_have_no_axe_violations(screen, base_url, data):  # noqa: F811
    page, found, wide = screen.page, {}, []
    check(page, f"{base_url}/admin/login", found)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    for path in ("/admin/", "/admin/gaps", "/admin/gaps?show=all", "/admin/tickets"):
        check(page, base_url + path, found)
        if not no_horizontal_scroll(page):
            wide.append(path)
    assert not found, f"{screen.name}:\n{report(found)}"
    assert not wide, f"pages wider than the {screen.name} screen: {wide}"
    # Korean samples break between words, never inside one
    page.goto(f"{base_url}/admin/gaps")
    sample = page.locator(".sample", has_text="상담원 채용 하나요").first
    assert sample.evaluate("e => getComputedStyle(e).wordBreak") == "keep-all"
    # the charts' words are at least 11 px high on the screen, whatever the card's width
    page.goto(f"{base_url}/admin/")
    smallest = page.evaluate("Math.min(...[...document.querySelectorAll('svg.chart text')]"
                             ".map(t => t.getBoundingClientRect().height))")
    assert smallest >= 11, smallest


# --- focus, highlights, shortcuts --------------------------------------------------------------------

def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# What the focused element's ring looks like, and the colours it is drawn over: the background colour
# (or every colour of a gradient) of the nearest ancestor that has one.
FOCUS_RING = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const rgb = t => (t.match(/rgba?\\([^)]*\\)/g) || []).map(c => c.match(/[\\d.]+/g).map(Number))
    .filter(c => c.length < 4 || c[3] > 0);
  let behind = [];
  for (let a = el.parentElement; a && !behind.length; a = a.parentElement) {
    const st = getComputedStyle(a);
    behind = rgb(st.backgroundImage).concat(rgb(st.backgroundColor));
  }
  if (!behind.length) behind = [[255, 255, 255]];
  return {what: el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 30),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: rgb(s.outlineColor)[0] || null, behind};
}"""


@pytest.mark.parametrize("path, tabs", [("/en/", 12), ("/fa/articles/withdrawal-times", 14), ("/ko/contact", 12)])
def test_keyboard_focus_is_a_ring_of_3_to_1_everywhere(screen, base_url, path, tabs):  # noqa: F811
    page = screen.page
    page.goto(base_url + path)
    weak = []
    for _ in range(tabs):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["what"].startswith("BODY"):
            continue
        ratio = min((contrast(ring["color"], b) for b in ring["behind"]), default=0) if ring["color"] else 0
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
            weak.append(f"{ring['what']}: {ring['style']} {ring['width']}px, {ratio:.2f}:1")
    assert not weak, weak


def test_fields_have_edges_of_3_to_1(screen, base_url):  # noqa: F811
    page = screen.page
    page.goto(f"{base_url}/en/contact")
    for field in ("#kb-category", "#kb-subject", "#kb-description", "#kb-email"):
        color = page.locator(field).evaluate("e => getComputedStyle(e).borderTopColor")
        rgb = [int(c) for c in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
        assert contrast(rgb, (255, 255, 255)) >= 3, (field, color)
    page.goto(f"{base_url}/en/articles/withdrawal-times")
    color = page.locator("#kb-q").evaluate("e => getComputedStyle(e).borderTopColor")
    rgb = [int(c) for c in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
    assert contrast(rgb, (238, 240, 252)) >= 3, color  # the search field on its light band


def test_persian_marks_stay_inside_their_line(screen, base_url):  # noqa: F811
    page = screen.page
    page.goto(f"{base_url}/fa/search?q=رمز عبور ایمیل")
    page.evaluate("document.fonts.ready")
    marks = page.evaluate("""() => [...document.querySelectorAll('.snippet mark')].map(m => [m.textContent,
        m.getBoundingClientRect().height, parseFloat(getComputedStyle(m.parentElement).lineHeight)])""")
    assert marks and all("،" not in text and height < line - 2 for text, height, line in marks), marks


def test_slash_and_ctrl_k_put_the_cursor_in_the_search_box(screen, base_url):  # noqa: F811
    page = screen.page
    page.goto(f"{base_url}/ko/articles/withdrawal-times")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-q"
    assert page.locator("#kb-q").input_value() == ""  # the "/" was the shortcut, not typed
    page.keyboard.type("a/b")  # inside the box "/" is a character like any other
    assert page.locator("#kb-q").input_value() == "a/b"
    page.keyboard.press("Tab")  # away from the box
    assert page.evaluate("document.activeElement.id") != "kb-q"
    page.keyboard.press("Control+k")
    assert page.evaluate("document.activeElement.id") == "kb-q"


def test_no_vote_asks_why_and_keeps_the_answer(app, screen, base_url):  # noqa: F811
    page = screen.page
    page.goto(f"{base_url}/fa/articles/reset-password")
    page.locator("[data-event=article_not_helpful]").click()
    page.get_by_label(i18n.STRINGS["fa"]["why_outdated"]).check()
    page.locator("#kb-why-comment").fill("لینک کار نمی‌کند، ایمیلم player@example.com است")
    page.get_by_role("button", name=i18n.STRINGS["fa"]["why_send"]).click()
    page.wait_for_url(re.compile(r"/fa/articles/reset-password\?feedback=sent#kb-helpful$"))
    assert i18n.STRINGS["fa"]["feedback_thanks"] in page.locator("#kb-helpful").inner_text()
    app.extensions["kb_writer"].flush()
    rows = app.extensions["kb_db"].rows(select(metadata.tables["events"]))
    vote = [r for r in rows if r["type"] == "article_not_helpful" and r["slug"] == "reset-password"][-1]
    why = [r for r in rows if r["type"] == "article_feedback"][-1]
    data = json.loads(why["data"])
    assert data["reason"] == "outdated" and "player@example.com" not in data["comment"] and "[EMAIL]" in data["comment"]
    assert why["session"] == vote["session"] != ""  # the same reader's vote and reason
