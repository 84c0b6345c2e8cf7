"""The site in a real browser: Debian's Chromium driven by Playwright, the app served from a thread.

Screenshots of every page kind in every language go to tests/artifacts/ (git-ignored), to be looked at.
Never `playwright install`: the browser is the system's /usr/bin/chromium (the Makefile installs it).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.languages import LANGS
from helpcenter.web import i18n

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT = 10_000  # ms

sync_api = pytest.importorskip("playwright.sync_api")
# Skipped only on a developer's machine without Chromium; in CI (CI=true) a missing browser fails.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="no system Chromium (make install-test installs it)")]


@pytest.fixture(scope="module")
def base_url(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # the site's Content-Security-Policy must never have to refuse anything of its own
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not errors, errors  # no script error or refused resource on any page


def stored(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def suggest_requests(page) -> list[dict]:
    """Record the query strings of every /api/suggest request the page makes."""
    seen: list[dict] = []
    page.on("request", lambda req: seen.append(parse_qs(urlparse(req.url).query))
            if "/api/suggest" in req.url else None)
    return seen


# --- the search box ----------------------------------------------------------------------------------

def test_korean_typing_suggests_and_enter_opens_the_article(page, base_url):
    requests = suggest_requests(page)
    page.goto(f"{base_url}/ko/")
    box = page.locator("#kb-q")
    box.click()
    page.keyboard.type("환전", delay=60)
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


@pytest.fixture
def shop(app, base_url):
    """A page of another site (another origin: localhost, another port) embedding the widget with one tag."""
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
    app.config["KB_CORS_ORIGINS"] = origin
    yield origin + "/support"
    app.config["KB_CORS_ORIGINS"] = ""
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


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
    page.locator("#kb-suggest-list [role=option]").first.wait_for(state="visible")
    page.screenshot(path=ARTIFACTS / f"{lang}-suggest.png")
    for name in [*shots, "contact", "suggest"]:
        assert (ARTIFACTS / f"{lang}-{name}.png").stat().st_size > 10_000
