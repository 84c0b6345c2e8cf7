"""The site in a real browser: Debian's Chromium driven by Playwright, the app served from a thread.

Screenshots of every page kind in every language go to tests/artifacts/ (git-ignored), to be looked at.
Never `playwright install`: the browser is the system's /usr/bin/chromium (the Makefile installs it).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import live_server
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.languages import LANGS
from helpcenter.web import i18n

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# How long a step may wait for the page (ms): a guard against a hang, not a speed check; a 2-core machine
# running other suites beside this one took more than 10 s to show a widget now and then.
TIMEOUT = 30_000

sync_api = pytest.importorskip("playwright.sync_api")
# Skipped only on a developer's machine without Chromium; in CI (CI=true) a missing browser fails.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="no system Chromium (make install-test installs it)")]


@pytest.fixture(scope="module")
def base_url(app):
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def watched_page(browser, **context_options):
    """A page in a new browser context that fails the test on any script error or refused resource."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # the site's Content-Security-Policy must never have to refuse anything of its own
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not errors, errors  # no script error or refused resource on any page


@pytest.fixture
def page(browser):
    with watched_page(browser, viewport={"width": 1280, "height": 900}, locale="en-US") as page:
        yield page


def stored(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def suggest_requests(page) -> list[dict]:
    """Record the query strings of every /api/suggest request the page makes."""
    seen: list[dict] = []
    page.on("request", lambda req: seen.append(parse_qs(urlparse(req.url).query))
            if "/api/suggest" in req.url else None)
    return seen


def wait_painted(page, q: str) -> None:
    """Until the list shows the answer for `q` (suggest.js sets data-painted when it paints one)."""
    page.wait_for_function("q => document.querySelector('#kb-suggest-list').getAttribute('data-painted') === q",
                           arg=q)


def paints(page) -> list[tuple[float, str]]:
    """(time, query) of every list paint so far (suggest.js's performance marks)."""
    return [tuple(p) for p in page.evaluate(
        "performance.getEntriesByName('kb-suggest-paint').map(e => [e.startTime, e.detail.q])")]


# --- the search box ----------------------------------------------------------------------------------

def test_korean_typing_suggests_and_enter_opens_the_article(page, base_url):
    requests = suggest_requests(page)
    page.goto(f"{base_url}/ko/")
    box = page.locator("#kb-q")
    box.click()
    page.keyboard.type("환전", delay=60)
    wait_painted(page, "환전")
    option = page.locator("#kb-suggest-list [role=option]").first
    option.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert "환전은 얼마나 걸리나요?" in page.locator("#kb-suggest-list").inner_text()
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ko/articles/withdrawal-times"))
    assert page.locator("h1").inner_text() == "환전은 얼마나 걸리나요?"
    assert all(r["lang"] == ["ko"] and r["sid"][0] for r in requests)
    assert any(r.get("settled") == ["1"] for r in requests)  # Enter settles the query: logged once


def test_ime_composition_sends_half_typed_syllables(page, base_url):
    requests = suggest_requests(page)
    page.goto(f"{base_url}/ko/")
    page.locator("#kb-q").click()
    cdp = page.context.new_cdp_session(page)
    for composing in ("환", "환저", "환전"):  # a Korean IME: 환 → 환저 (half-typed 전) → 환전
        cdp.send("Input.imeSetComposition", {"text": composing, "selectionStart": len(composing),
                                             "selectionEnd": len(composing)})
        page.wait_for_timeout(250)  # longer than the debounce: each state is sent
    sent = [r["q"][0] for r in requests]
    assert "환저" in sent  # sent while still composing
    cdp.send("Input.insertText", {"text": "환전"})  # the IME commits: compositionend
    wait_painted(page, "환전")
    page.locator("#kb-suggest-list [role=option]").first.wait_for(state="visible")
    assert page.locator("#kb-q").input_value() == "환전"
    assert [r["q"][0] for r in requests][-1] == "환전"
    cdp.detach()


def test_a_finished_word_keeps_its_space_and_the_pause_settles_trimmed(page, base_url):
    requests = suggest_requests(page)
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    page.keyboard.type("forgot ", delay=20)
    page.wait_for_timeout(400)  # past the debounce: the state with the space is sent
    assert "forgot " in [r["q"][0] for r in requests if "settled" not in r]  # the last word is finished
    page.wait_for_timeout(1800)  # the pause settles the query, trimmed
    assert [r["q"][0] for r in requests if r.get("settled") == ["1"]] == ["forgot"]


def test_escape_closes_and_enter_without_a_choice_searches(page, base_url):
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    page.keyboard.type("password reset", delay=20)
    wait_painted(page, "password reset")
    listbox = page.locator("#kb-suggest-list")
    listbox.locator("[role=option]").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and page.locator("#kb-q").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/search\?q=password\+reset"))
    assert page.locator(".result").count() >= 1 and page.locator(".result mark").count() >= 1


def test_settled_after_a_pause_is_logged_once(app, page, base_url):
    before = len(stored(app, "queries"))
    page.goto(f"{base_url}/fa/")
    page.locator("#kb-q").click()
    page.keyboard.type("فراموشی رمز", delay=30)
    page.wait_for_timeout(2200)  # past the ~1.5 s pause
    rows = [r for r in stored(app, "queries")[before:] if r["kind"] == "suggest"]
    assert [(r["query"], r["lang"]) for r in rows] == [("فراموشی رمز", "fa")]


# --- the search box: following typing, marks, "See all", the live region, recent and popular, phones -------

def type_at(page, text: str, ms: int = 80) -> list[float]:
    """Types `text` one character a keystroke (a Korean syllable a keystroke), a keystroke every `ms` ms;
    returns each keystroke's time on the page's clock."""
    times = []
    start = page.evaluate("performance.now()")
    for i, ch in enumerate(text):
        page.keyboard.type(ch)
        times.append(page.evaluate("performance.now()"))
        page.wait_for_timeout(max(0, start + (i + 1) * ms - page.evaluate("performance.now()")))
    return times


def test_the_list_follows_typing_at_80_ms_a_key(page, base_url):
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    text = "how long do withdrawals take"
    times = type_at(page, text)
    wait_painted(page, text)
    shown = [(t, q) for t, q in paints(page) if q]
    during = {q for t, q in shown if t <= times[-1]}
    # a 120 ms debounce painted nothing before the typing stopped; now most keystrokes are painted as typed
    assert len(during) >= len(text) // 2, during
    assert all(text.startswith(q) for _, q in shown)
    lengths = [len(q) for _, q in shown]
    assert lengths == sorted(lengths)  # never an older prefix after a newer one
    assert "search-overlay" not in page.locator("form.search").get_attribute("class")  # desktop: no overlay


def test_a_late_answer_to_an_older_prefix_never_replaces_a_newer_one(page, base_url):
    held = []

    def handle(route):
        if parse_qs(urlparse(route.request.url).query).get("q") == ["with"]:
            held.append(route)  # answered only after the whole word is typed
        else:
            route.continue_()

    page.route(re.compile(r"/api/suggest\?"), handle)
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    type_at(page, "withdrawal")
    wait_painted(page, "withdrawal")  # the slow request held nothing back
    assert held, "the request for 'with' was never sent"
    stale = {"query": "with", "lang": "en", "answered": True, "answer": None, "results": [
        {"slug": "reset-password", "lang": "en", "title": "STALE ANSWER", "url": "/en/articles/reset-password",
         "snippet": "", "score": 1.0, "section": "", "anchor": "", "section_url": "", "highlights": [],
         "fallback": False}]}
    try:
        held[0].fulfill(json=stale)
    except Exception:  # suggest.js aborted it once a newer answer was painted: it may not be answered
        pass
    page.wait_for_timeout(300)
    listbox = page.locator("#kb-suggest-list")
    assert listbox.get_attribute("data-painted") == "withdrawal"
    assert "STALE ANSWER" not in listbox.inner_text()
    lengths = [len(q) for _, q in paints(page) if q]
    assert lengths == sorted(lengths) and paints(page)[-1][1] == "withdrawal"


def test_suggestions_mark_the_typed_words_and_end_with_see_all(page, base_url, client):
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    page.keyboard.type("withdr", delay=30)
    wait_painted(page, "withdr")
    title = page.locator("#kb-suggest-list .suggest-title").first
    assert title.inner_text() == "How long do withdrawals take?"
    assert title.locator("mark").all_inner_texts() == ["withdr"]
    page.keyboard.type("awal", delay=30)
    wait_painted(page, "withdrawal")
    api = client.get("/api/suggest", query_string={"q": "withdrawal", "lang": "en"}).get_json()
    options = page.locator("#kb-suggest-list .suggest-item")
    for i, r in enumerate(api["results"]):
        if r["highlights"] and r["snippet"] and not (i == 0 and api["answer"]):
            marks = options.nth(i).locator(".suggest-snippet mark").all_inner_texts()
            assert marks == [r["snippet"][a:b] for a, b in sorted(r["highlights"])][:len(marks)] and marks
    see_all = page.locator("#kb-suggest-list .suggest-all")
    assert see_all.get_attribute("role") == "option"
    assert see_all.inner_text() == i18n.STRINGS["en"]["suggest_see_all"].format(q="withdrawal")
    page.keyboard.press("ArrowUp")  # from the box, ArrowUp reaches the last option: See all
    assert page.locator("#kb-q").get_attribute("aria-activedescendant") == see_all.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/search\?q=withdrawal$"))
    assert page.locator(".result").count() >= 1


def test_server_text_is_shown_as_text_and_the_answer_comes_first(page, base_url):
    evil = '<img src=x id=evil>Withdrawals <b>fast</b>'
    body = {"query": "withdrawal", "lang": "en", "answered": True,
            "answer": {"slug": "withdrawal-times", "lang": "en", "title": evil, "section": "Times",
                       "url": "/en/articles/withdrawal-times#times", "text": "Card: 1-3 days.\n<script>x</script>"},
            "results": [{"slug": "withdrawal-times", "lang": "en", "title": evil, "url": "/en/articles/withdrawal-times",
                         "snippet": "snippet one", "score": 1.0, "section": "Times", "anchor": "times",
                         "section_url": "", "highlights": [[0, 7]], "fallback": False},
                        {"slug": "reset-password", "lang": "en", "title": "Reset <i>it</i>",
                         "url": "/en/articles/reset-password", "snippet": "🎰 a <u>withdrawal</u> note",
                         "score": 0.5, "section": "", "anchor": "", "section_url": "",
                         "highlights": [[7, 17]], "fallback": False}]}
    page.route(re.compile(r"/api/suggest\?"), lambda route: route.fulfill(json=body))
    page.goto(f"{base_url}/en/")
    page.locator("#kb-q").click()
    page.keyboard.type("withdrawal", delay=20)
    wait_painted(page, "withdrawal")
    listbox = page.locator("#kb-suggest-list")
    assert listbox.locator("img, b, i, u, script").count() == 0 and page.locator("#evil").count() == 0
    first, second = listbox.locator(".suggest-item").nth(0), listbox.locator(".suggest-item").nth(1)
    assert first.locator(".suggest-title").inner_text() == evil  # the markup, as text
    assert first.locator(".suggest-title mark").all_inner_texts() == ["Withdrawal"]
    assert first.locator(".suggest-answer").inner_text() == "Card: 1-3 days.\n<script>x</script>"
    assert first.locator(".suggest-snippet").count() == 0  # the answer takes the snippet's place
    # code-point spans from the server, on a snippet with an emoji (two UTF-16 units)
    assert second.locator(".suggest-snippet mark").all_inner_texts() == ["withdrawal"]


@pytest.mark.parametrize("lang, q", [("en", "password"), ("ko", "환전"), ("fa", "رمز")])
def test_the_live_region_says_how_many_suggestions(page, base_url, lang, q):
    page.goto(f"{base_url}/{lang}/")
    page.locator("#kb-q").click()
    page.keyboard.type(q, delay=30)
    wait_painted(page, q)
    n = page.locator("#kb-suggest-list .suggest-item").count()
    assert n >= 1
    words = i18n.STRINGS[lang]
    expected = words["suggest_status_one"] if n == 1 else words["suggest_status"].format(n=i18n.number(lang, n))
    status = page.locator("[data-suggest-status]")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    page.wait_for_function("t => document.querySelector('[data-suggest-status]').textContent === t", arg=expected)


def test_recent_searches_stay_on_the_device_and_can_be_cleared(page, base_url):
    page.goto(f"{base_url}/ko/")
    page.locator("#kb-q").click()
    page.keyboard.type("비밀번호 재설정", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ko/search\?q="))
    sent: list[str] = []
    page.on("request", lambda req: sent.append(req.url + " " + (req.post_data or "")))
    page.goto(f"{base_url}/ko/")
    page.locator("#kb-q").click()
    recent = page.locator("#kb-suggest-list .suggest-group-recent")
    recent.wait_for(state="visible")
    assert recent.locator(".suggest-group-label").inner_text() == i18n.STRINGS["ko"]["suggest_recent"]
    assert recent.locator(".suggest-recent").all_inner_texts() == ["비밀번호 재설정"]
    assert page.evaluate("JSON.parse(localStorage.getItem('kb_recent_ko'))") == ["비밀번호 재설정"]
    page.keyboard.press("ArrowDown")  # the recent search, by keyboard
    page.keyboard.press("ArrowDown")  # then "clear"
    clear = recent.locator(".suggest-clear")
    assert clear.inner_text() == i18n.STRINGS["ko"]["suggest_clear_recent"]
    assert page.locator("#kb-q").get_attribute("aria-activedescendant") == clear.get_attribute("id")
    page.keyboard.press("Enter")
    assert page.locator("#kb-suggest-list .suggest-group-recent").count() == 0
    assert page.evaluate("localStorage.getItem('kb_recent_ko')") is None
    page.wait_for_function("t => document.querySelector('[data-suggest-status]').textContent === t",
                           arg=i18n.STRINGS["ko"]["suggest_recent_cleared"])
    assert page.evaluate("document.activeElement.id") == "kb-q"
    assert not any("비밀번호" in s or "%EB%B9%84" in s for s in sent)  # never sent anywhere


def test_the_empty_box_offers_popular_articles(page, base_url):
    page.goto(f"{base_url}/fa/categories/withdrawals")
    page.locator("#kb-q").click()
    popular = page.locator("#kb-suggest-list .suggest-group-popular")
    popular.wait_for(state="visible")
    assert popular.locator(".suggest-group-label").inner_text() == i18n.STRINGS["fa"]["suggest_popular"]
    options = popular.locator("[role=option]")
    assert options.count() >= 3
    assert page.locator("#kb-q").get_attribute("aria-expanded") == "true"
    first = options.first.inner_text()
    options.first.click()
    page.wait_for_url(re.compile(r"/fa/articles/[a-z0-9-]+$"))
    assert page.locator("h1").inner_text() == first.splitlines()[0]


@pytest.fixture
def phone(browser):
    with watched_page(browser, viewport={"width": 390, "height": 844}, locale="ko-KR", is_mobile=True,
                      has_touch=True) as page:
        yield page


def test_on_a_phone_the_search_opens_full_screen(phone, base_url):
    phone.goto(f"{base_url}/ko/")
    phone.locator("#kb-q").tap()
    form = phone.locator("form.search")
    phone.wait_for_function("document.querySelector('form.search').classList.contains('search-overlay')")
    phone.wait_for_function("getComputedStyle(document.querySelector('form.search')).position === 'fixed'")
    box = form.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    phone.keyboard.type("환전", delay=30)
    wait_painted(phone, "환전")
    field = phone.locator("#kb-q").bounding_box()
    first = phone.locator("#kb-suggest-list .suggest-item").first.bounding_box()
    assert field["y"] < 80 and first["y"] < 844 / 2  # above where the on-screen keyboard opens
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=ARTIFACTS / "ko-phone-search.png")
    phone.locator(".suggest-close").tap()
    assert "search-overlay" not in form.get_attribute("class")
    assert phone.evaluate("getComputedStyle(document.querySelector('form.search')).position") != "fixed"


# --- direction, fonts, feedback ----------------------------------------------------------------------

def test_persian_pages_are_right_to_left(page, base_url):
    page.goto(f"{base_url}/fa/articles/withdrawal-times")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert "Noto Sans Arabic" in page.evaluate("getComputedStyle(document.body).fontFamily")
    brand, nav = page.locator(".brand").bounding_box(), page.locator(".topnav").bounding_box()
    assert brand["x"] > nav["x"]  # mirrored: the brand sits on the right
    article = page.locator("article.article").bounding_box()
    toc = page.locator(".toc").bounding_box()
    assert toc["x"] < article["x"]  # the table of contents on the left


def test_korean_pages_keep_words_whole(page, base_url):
    page.goto(f"{base_url}/ko/articles/withdrawal-times")
    style = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.prose p'));"
                          " return [s.wordBreak, s.fontFamily]; })()")
    assert style[0] == "keep-all" and "Noto Sans KR" in style[1]


def test_was_this_helpful_posts_an_event(app, page, base_url):
    page.goto(f"{base_url}/en/articles/reset-password")
    page.get_by_role("button", name="Yes").click()
    page.get_by_text(i18n.STRINGS["en"]["helpful_thanks"]).wait_for(state="visible")
    page.wait_for_timeout(200)
    event = [e for e in stored(app, "events") if e["type"] == "article_helpful"][-1]
    assert (event["slug"], event["lang"]) == ("reset-password", "en") and event["session"]


# --- the ticket form ---------------------------------------------------------------------------------

def type_ticket(page, subject: str, description: str, fields=("#kb-subject", "#kb-description")):
    page.locator(fields[0]).press_sequentially(subject, delay=15)
    page.locator(fields[1]).press_sequentially(description, delay=15)
    page.locator(".kbw-item").first.wait_for(state="visible")


def test_ticket_form_suggests_and_submits(app, page, base_url):
    sent: list = []
    page.on("request", lambda req: sent.append((req.method, req.url)) if "/api/suggest" in req.url else None)
    page.goto(f"{base_url}/en/contact")
    page.select_option("#kb-category", "withdrawals")
    type_ticket(page, "Withdrawal slow", "My withdrawal is still not here, how long do withdrawals take?")
    assert "How long do withdrawals take?" in page.locator("#kb-suggestions").inner_text()
    page.fill("#kb-email", "player@example.com")
    page.get_by_role("button", name=i18n.STRINGS["en"]["submit"]).click()
    page.wait_for_url(re.compile(r"/en/contact/sent$"))
    number = re.search(r"#\d{6}", page.locator(".ticket-number").inner_text()).group(0)
    ticket = next(t for t in stored(app, "tickets") if t["number"] == number.lstrip("#"))
    assert ticket["subject"] == "Withdrawal slow" and ticket["category"] == "withdrawals" and ticket["session"]
    assert "withdrawal-times" in json.loads(ticket["suggested"])
    shown = [e for e in stored(app, "events") if e["type"] == "suggestion_shown" and e["session"] == ticket["session"]]
    assert shown and all(json.loads(e["data"])["source"] == "contact_form" for e in shown)
    keys = [tuple(json.loads(e["data"])["slugs"]) for e in shown]
    assert len(keys) == len(set(keys))  # once per distinct set
    # what the player types travels in request bodies, never in a URL
    assert sent and {method for method, _ in sent} == {"POST"} and not any("?" in url for _, url in sent)
    visits = {json.loads(e["data"])["visit"] for e in shown}
    assert len(visits) == 1  # one page load of the form: one visit


def test_deflection_records_ticket_abandoned(app, page, base_url):
    page.goto(f"{base_url}/ko/contact")
    type_ticket(page, "환전", "환전 신청했는데 언제 들어오나요")
    page.locator(".kbw-link").first.click()
    page.locator(".kbw-panel article").wait_for(state="visible")
    page.get_by_role("button", name=i18n.STRINGS["ko"]["solved"]).click()
    page.get_by_text(i18n.STRINGS["ko"]["deflected_title"]).wait_for(state="visible")
    assert page.locator("#kb-contact-form").is_hidden()
    page.wait_for_timeout(200)
    events = stored(app, "events")
    clicked = [e for e in events if e["type"] == "suggestion_clicked"][-1]
    abandoned = [e for e in events if e["type"] == "ticket_abandoned"][-1]
    assert abandoned["slug"] == clicked["slug"] == "withdrawal-times"
    assert abandoned["lang"] == "ko" and json.loads(abandoned["data"])["deflected"] is True
    assert abandoned["session"] == clicked["session"] != ""


@contextlib.contextmanager
def shop_page(app, base_url, cors: bool = True):
    """A page of another site (another origin: localhost, another port) embedding the widget with one tag;
    the help center lists that origin in KB_CORS_ORIGINS when `cors`."""
    from werkzeug.serving import make_server

    html = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop support</title><form>'
            f'<input id="subject"><textarea id="description"></textarea><button>Send</button></form>'
            f'<script src="{base_url}/widget.js" data-kb-fields="#subject,#description" data-kb-lang="fa"></script>')

    def shop_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    server = make_server("localhost", 0, shop_app)
    thread = threading.Thread(target=server.serve_forever, name="test-shop", daemon=True)
    thread.start()
    origin = f"http://localhost:{server.server_port}"
    app.config["KB_CORS_ORIGINS"] = origin if cors else ""
    try:
        yield origin + "/support"
    finally:
        app.config["KB_CORS_ORIGINS"] = ""
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def shop(app, base_url):
    with shop_page(app, base_url) as url:
        yield url


@pytest.fixture
def shop_without_cors(app, base_url):
    with shop_page(app, base_url, cors=False) as url:
        yield url


def test_embedded_widget_on_another_origin(app, page, base_url, shop):
    page.goto(shop)
    type_ticket(page, "رمز", "رمز عبورم را فراموش کردم", ("#subject", "#description"))
    box = page.locator("textarea#description + .kbw")  # right after the last field
    assert box.get_attribute("dir") == "rtl" and "فراموشی رمز عبور" in box.inner_text()
    link = box.locator(".kbw-link").first
    assert link.get_attribute("href") == f"{base_url}/fa/articles/reset-password"
    with page.context.expect_page() as opened:
        link.click()
    opened.value.wait_for_load_state()
    assert opened.value.url.startswith(f"{base_url}/fa/articles/reset-password")
    box.get_by_role("button", name=i18n.STRINGS["fa"]["solved"]).click()
    box.get_by_text(i18n.STRINGS["fa"]["deflected_title"]).wait_for(state="visible")
    page.wait_for_timeout(200)
    events = stored(app, "events")
    abandoned = [e for e in events if e["type"] == "ticket_abandoned"][-1]
    assert abandoned["slug"] == "reset-password" and json.loads(abandoned["data"])["source"] == "widget"
    assert any(e["type"] == "suggestion_shown" and json.loads(e["data"])["source"] == "widget" for e in events)


def test_ticket_form_leaves_generic_request_words_out_of_the_query(page, base_url):
    bodies: list[dict] = []
    page.on("request", lambda req: bodies.append(json.loads(req.post_data)) if "/api/suggest" in req.url else None)
    page.goto(f"{base_url}/ko/contact")
    page.locator("#kb-subject").press_sequentially("1:1 문의드립니다", delay=15)
    page.wait_for_timeout(600)  # past the widget's pause: a subject of generic words alone asks nothing
    assert bodies == []
    page.locator("#kb-description").press_sequentially("환전 문의요 환전이 안 돼요", delay=15)
    page.locator(".kbw-item").first.wait_for(state="visible")
    assert bodies and all("문의" not in b["q"] for b in bodies)
    assert bodies[-1]["q"] == "환전 환전이 안 돼요"


def test_solved_can_be_taken_back_on_the_ticket_form(page, base_url):
    page.goto(f"{base_url}/en/contact")
    type_ticket(page, "Withdrawal", "How long do withdrawals take")
    page.locator(".kbw-link").first.click()
    page.locator(".kbw-panel article").wait_for(state="visible")
    page.get_by_role("button", name=i18n.STRINGS["en"]["solved"]).click()
    assert page.locator("#kb-contact-form").is_hidden()
    page.get_by_role("button", name=i18n.STRINGS["en"]["solved_back"]).click()
    assert page.locator("#kb-contact-form").is_visible()
    assert page.get_by_text(i18n.STRINGS["en"]["deflected_title"]).count() == 0
    assert page.locator("#kb-subject").input_value() == "Withdrawal"
    assert page.locator("#kb-description").input_value() == "How long do withdrawals take"
    assert page.evaluate("document.activeElement.id") == "kb-description"
    assert page.locator(".kbw-item").first.is_visible()  # the suggestions are back too


def test_a_redrawn_widget_keeps_the_solved_offer_of_the_article_opened(page, base_url, shop):
    """An answer that arrives after the player opened an article in a new tab (a settled request, or the
    player typed on) redraws the list: the opened article's card still asks whether it solved the problem."""
    page.goto(shop)
    type_ticket(page, "رمز", "رمز عبورم را فراموش کردم", ("#subject", "#description"))
    box = page.locator("textarea#description + .kbw")
    with page.context.expect_page() as opened:
        box.locator(".kbw-link").first.click()
    opened.value.close()
    solved = box.get_by_role("button", name=i18n.STRINGS["fa"]["solved"])
    assert solved.is_visible()
    page.evaluate("document.querySelector('textarea#description + .kbw ul').dataset.before = '1'")
    page.locator("#description").press_sequentially(" لطفا", delay=15)
    box.locator("ul:not([data-before])").wait_for(state="visible")  # the list was drawn again
    solved.click()
    box.get_by_text(i18n.STRINGS["fa"]["deflected_title"]).wait_for(state="visible")


def test_widget_holds_the_host_form_while_solved(page, base_url, shop):
    page.goto(shop)
    type_ticket(page, "رمز", "رمز عبورم را فراموش کردم", ("#subject", "#description"))
    page.evaluate("window.sent = 0; document.querySelector('form').addEventListener('submit', e => {"
                  " window.sent++; e.preventDefault(); })")
    box = page.locator("textarea#description + .kbw")
    with page.context.expect_page() as opened:
        box.locator(".kbw-link").first.click()
    opened.value.close()
    box.get_by_role("button", name=i18n.STRINGS["fa"]["solved"]).click()
    send = page.locator("form button", has_text="Send")
    assert send.is_disabled()
    page.locator("#subject").press("Enter")  # implicit submission is held too
    page.wait_for_timeout(200)
    assert page.evaluate("window.sent") == 0 and page.url == shop
    box.get_by_role("button", name=i18n.STRINGS["fa"]["solved_back"]).click()
    assert send.is_enabled()
    assert box.locator(".kbw-item").first.is_visible()
    send.click()
    assert page.evaluate("window.sent") == 1


def test_widget_says_so_when_the_help_center_refuses_the_origin(page, base_url, shop_without_cors):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(shop_without_cors)
    page.locator("#subject").press_sequentially("رمز عبور", delay=15)
    notice = page.locator(".kbw-unavailable")
    notice.wait_for(state="visible")
    assert notice.inner_text() == i18n.STRINGS["fa"]["widget_unavailable"]
    assert notice.get_attribute("role") == "status"
    origin = shop_without_cors.rsplit("/", 1)[0]
    page.wait_for_function("() => true")  # let the console message arrive
    page.wait_for_timeout(300)
    assert any("KB_CORS_ORIGINS" in e and origin in e for e in errors), errors


def test_a_failed_send_focuses_an_error_summary_that_links_to_the_fields(page, base_url):
    page.goto(f"{base_url}/ko/contact")
    page.locator("#kb-subject").fill("환전")
    page.locator("#kb-description").fill("환전 신청했는데 3일째 안 들어와요")
    page.locator("#kb-email").fill("not-an-email")
    with page.expect_navigation():
        page.get_by_role("button", name=i18n.STRINGS["ko"]["submit"]).click()
    summary = page.locator("#kb-error-summary")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "kb-error-summary"
    links = summary.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == ["#kb-category", "#kb-email"]
    assert links.all_inner_texts() == [i18n.STRINGS["ko"]["err_category"], i18n.STRINGS["ko"]["err_email"]]
    assert page.locator("#kb-subject").input_value() == "환전"  # everything typed is kept
    assert page.locator("#kb-description").input_value() == "환전 신청했는데 3일째 안 들어와요"
    assert page.locator("#kb-email").input_value() == "not-an-email"
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "kb-email"
    links.nth(0).click()
    assert page.evaluate("document.activeElement.id") == "kb-category"


# --- screenshots, to be looked at --------------------------------------------------------------------

QUERIES = {"en": "how long does a withdrawal take", "ko": "환전 언제 돼요", "fa": "رمزمو یادم رفته"}


@pytest.mark.parametrize("lang", LANGS)
def test_screenshots(page, base_url, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        "home": f"/{lang}/",
        "article": f"/{lang}/articles/withdrawal-times",
        "article-untranslated": f"/{lang}/articles/crypto-deposits",
        "search": f"/{lang}/search?q={QUERIES[lang]}",
        "search-no-answer": f"/{lang}/search?q=best lasagna recipe with spinach",
    }
    for name, path in shots.items():
        page.goto(base_url + path)
        page.evaluate("document.fonts.ready")
        page.screenshot(path=ARTIFACTS / f"{lang}-{name}.png", full_page=True)
    page.goto(f"{base_url}/{lang}/contact")
    type_ticket(page, {"en": "Password", "ko": "비번", "fa": "رمز"}[lang],
                {"en": "I forgot my password and no email arrived", "ko": "비밀번호를 잊어버렸어요",
                 "fa": "رمز عبورم را فراموش کردم"}[lang])
    page.screenshot(path=ARTIFACTS / f"{lang}-contact.png", full_page=True)
    page.goto(f"{base_url}/{lang}/")
    page.locator("#kb-q").click()
    page.keyboard.type({"en": "password", "ko": "비번", "fa": "رمز"}[lang], delay=30)
    wait_painted(page, {"en": "password", "ko": "비번", "fa": "رمز"}[lang])
    page.locator("#kb-suggest-list [role=option]").first.wait_for(state="visible")
    page.screenshot(path=ARTIFACTS / f"{lang}-suggest.png")
    for name in [*shots, "contact", "suggest"]:
        assert (ARTIFACTS / f"{lang}-{name}.png").stat().st_size > 10_000
