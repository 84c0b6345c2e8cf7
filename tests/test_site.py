"""The players' site through Flask's test client: pages, languages, escaping, 404s, the ticket form, CORS."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.languages import LANGS
from helpcenter.web import create_app, i18n
from helpcenter.web.services import close_app
from helpcenter.web.site import highlight, render_body

XSS = "<script>alert(1)</script>\"'"


def stored(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def text(resp) -> str:
    return resp.get_data(as_text=True)


def switcher_langs(html: str) -> list[str]:
    block = re.search(r'<ul class="langs">(.*?)</ul>', html, re.DOTALL).group(1)
    return re.findall(r'hreflang="(\w+)"', block)


def csrf(client, lang="en") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text(client.get(f"/{lang}/contact"))).group(1)


# --- languages and pages -----------------------------------------------------------------------------

@pytest.mark.parametrize("header, lang", [
    ("ko-KR,ko;q=0.9,en;q=0.5", "ko"), ("fa-IR,fa;q=0.8", "fa"), ("en-US", "en"), ("de-DE,fr;q=0.5", "en"),
    (None, "en"),
])
def test_root_redirects_to_the_readers_language(client, header, lang):
    r = client.get("/", headers={"Accept-Language": header} if header else {})
    assert r.status_code == 302 and r.headers["Location"] == f"/{lang}/"
    assert "Accept-Language" in r.headers["Vary"]


PAGES = ["/{lang}/", "/{lang}/categories/withdrawals", "/{lang}/articles/withdrawal-times",
         "/{lang}/articles/crypto-deposits", "/{lang}/search", "/{lang}/search?q=withdrawal", "/{lang}/contact"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_every_language(client, path, lang):
    r = client.get(path.format(lang=lang))
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = text(r)
    direction = "rtl" if lang == "fa" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert i18n.STRINGS[lang]["site_name"] in html
    assert "http://" not in html and "https://" not in html  # no CDN or other outside resource


def test_home_lists_categories_with_counts(client):
    html = text(client.get("/ko/"))
    assert "/ko/categories/withdrawals" in html and "환전·출금" in html
    assert "도움말 1개" in html  # the test index has one article per category
    assert 'action="/ko/search"' in html and 'role="combobox"' in html


@pytest.mark.parametrize("path", ["/de/", "/de/articles/withdrawal-times", "/en/articles/no-such-article",
                                  "/ko/categories/no-such-category", "/xx/search?q=hello", "/zz/contact"])
def test_unknown_language_or_article_is_an_html_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "<html" in text(r)


def test_404_page_speaks_the_readers_language(client):
    html = text(client.get("/fa/articles/no-such-article"))
    assert 'dir="rtl"' in html and i18n.STRINGS["fa"]["not_found_title"] in html


# --- articles ----------------------------------------------------------------------------------------

def test_article_has_section_ids_toc_updated_related_and_feedback(client, searcher):
    html = text(client.get("/en/articles/withdrawal-times"))
    article = searcher.index.articles["en/withdrawal-times"]
    for section in article.sections:
        if section.anchor:
            assert f'<h2 id="{section.anchor}">' in html  # deep links equal Section.anchor
            assert f'href="#{section.anchor}"' in html  # table of contents
    assert '<time datetime="2026-11-01">Last updated 1 November 2026</time>' in html
    assert 'data-event="article_helpful"' in html and 'data-event="article_not_helpful"' in html


def test_korean_section_ids_are_unicode_anchors(client, searcher):
    html = text(client.get("/ko/articles/withdrawal-times"))
    for section in searcher.index.articles["ko/withdrawal-times"].sections:
        if section.anchor:
            assert f'<h2 id="{section.anchor}">' in html


def test_related_articles_share_the_category(client):
    html = text(client.get("/en/articles/crypto-deposits"))
    related = re.search(r'<section class="related">(.*?)</section>', html, re.DOTALL)
    assert related is None  # the only deposits article in the test index
    html = text(client.get("/en/categories/deposits"))
    assert "/en/articles/crypto-deposits" in html and "/en/articles/withdrawal-times" not in html


def test_english_only_article_on_a_korean_url_is_shown_in_english_and_labelled(client):
    r = client.get("/ko/articles/crypto-deposits")
    html = text(r)
    assert r.status_code == 200
    assert '<article class="article" lang="en" dir="ltr">' in html and "Depositing with crypto" in html
    assert i18n.STRINGS["ko"]["untranslated"] in html and i18n.STRINGS["ko"]["untranslated_note"] in html


@pytest.mark.parametrize("path, langs", [
    ("/en/articles/withdrawal-times", ["en", "ko", "fa"]),
    ("/fa/articles/reset-password", ["en", "ko", "fa"]),
    ("/en/articles/crypto-deposits", ["en"]),
    ("/ko/articles/one-liner", ["en"]),
])
def test_language_switcher_lists_only_existing_translations(client, path, langs):
    assert switcher_langs(text(client.get(path))) == langs


def test_language_switcher_of_other_pages_offers_every_language(client):
    assert switcher_langs(text(client.get("/fa/"))) == list(LANGS)


def test_markdown_is_rendered_and_sanitized():
    html = str(render_body("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n## Get the link\n\n"
                           "[bad](javascript:alert(1)) [good](/en/articles/x) **b** `c`\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |\n", "en"))
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html
    assert '<h2 id="get-the-link">' in html and '<a href="/en/articles/x"' in html
    assert "<strong>b</strong>" in html and "<code>c</code>" in html and "<td>1</td>" in html


def test_partial_article_is_a_fragment(client):
    r = client.get("/ko/articles/withdrawal-times?partial=1")
    assert r.status_code == 200 and "<html" not in text(r) and '<article class="panel-article" lang="ko"' in text(r)


# --- search ------------------------------------------------------------------------------------------

def test_highlight_escapes_and_marks_spans():
    assert str(highlight("<b>a</b> & 환전이 x", [(9, 10), (11, 14)])) == (
        "&lt;b&gt;a&lt;/b&gt; <mark>&amp;</mark> <mark>환전이</mark> x")
    assert str(highlight("abc", [(1, 2), (0, 2), (5, 9)])) == "<mark>ab</mark>c"  # overlapping and out-of-range spans


@pytest.mark.parametrize("lang", LANGS)
def test_query_is_escaped_everywhere_on_the_results_page(client, lang):
    r = client.get(f"/{lang}/search", query_string={"q": XSS})
    html = text(r)
    assert r.status_code == 200
    assert "<script>alert(1)" not in html and XSS not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;"' in html


def test_query_is_escaped_in_the_contact_prefill(client):
    html = text(client.get("/en/contact", query_string={"subject": XSS}))
    assert "<script>alert(1)" not in html and 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;"' in html


def test_results_mark_matched_words_and_link_the_section(client):
    html = text(client.get("/ko/search", query_string={"q": "환전 언제 돼요"}))
    first = html.split('<li class="result"')[1]
    assert 'href="/ko/articles/withdrawal-times"' in first
    assert re.search(r"<mark>환전[^<]*</mark>", first)
    html = text(client.get("/en/search", query_string={"q": "password email not in spam folder"}))
    hit = next(part for part in html.split('<li class="result"')[1:] if "/en/articles/reset-password" in part)
    assert 'href="/en/articles/reset-password#no-email-arrived"' in hit and "No email arrived</a>" in hit
    assert "<mark>spam</mark>" in hit


def test_result_in_another_language_is_labelled(client):
    html = text(client.get("/ko/search", query_string={"q": "코인 충전 네트워크"}))
    first = html.split('<li class="result"')[1].split("</li>")[0]
    assert "Depositing with crypto" in first and i18n.STRINGS["ko"]["untranslated"] in first


def test_no_answer_offers_the_ticket_form(client):
    html = text(client.get("/en/search", query_string={"q": "best lasagna recipe with spinach"}))
    assert i18n.STRINGS["en"]["no_answer_title"] in html
    assert 'href="/en/contact?subject=best+lasagna+recipe+with+spinach"' in html


def test_too_long_query_is_a_friendly_400(client):
    r = client.get("/en/search", query_string={"q": "x" * 501})
    assert r.status_code == 400 and r.mimetype == "text/html" and "500" in text(r)


def test_search_page_logs_the_query(app, client):
    before = len(stored(app, "queries"))
    client.get("/fa/search", query_string={"q": "فراموشی رمز", "sid": "s-page"})
    rows = stored(app, "queries")[before:]
    assert [(r["kind"], r["lang"], r["session"]) for r in rows] == [("search", "fa", "s-page")]


def test_search_page_takes_the_session_from_the_cookie_not_the_url(app, client):
    client.set_cookie("kb_sid", "s-cookie")
    html = text(client.get("/en/search", query_string={"q": "withdrawal"}))
    assert 'name="sid"' not in html  # result URLs are shared: they must not carry the session
    assert stored(app, "queries")[-1]["session"] == "s-cookie"


# --- the ticket form ---------------------------------------------------------------------------------

TICKET = {"category": "withdrawals", "subject": "Withdrawal pending", "email": "player@example.com",
          "description": "My withdrawal has been pending for three days. Card 4111 1111 1111 1111."}


def test_contact_form_lists_the_content_categories(client):
    html = text(client.get("/ko/contact"))
    options = re.findall(r'<option value="([a-z-]+)"', html)
    assert sorted(options) == ["account", "deposits", "responsible-gambling", "withdrawals"]
    assert 'name="csrf_token"' in html and "/widget.js" in html


def test_contact_post_without_csrf_token_is_refused(app, client):
    client.get("/en/contact")  # a session exists, but the form does not carry its token
    before = app.extensions["kb_db"].count("tickets")
    r = client.post("/en/contact", data=TICKET)
    assert r.status_code == 400 and r.mimetype == "text/html"
    r = client.post("/en/contact", data={**TICKET, "csrf_token": "forged"})
    assert r.status_code == 400
    assert app.extensions["kb_db"].count("tickets") == before


@pytest.mark.parametrize("change, field", [
    ({"email": "not-an-email"}, "email"), ({"email": "a@b"}, "email"), ({"subject": "  "}, "subject"),
    ({"description": ""}, "description"), ({"description": "x" * 4001}, "description"),
    ({"subject": "s" * 201}, "subject"), ({"category": "casino-heists"}, "category"),
])
def test_contact_validation_rerenders_with_friendly_errors(client, change, field):
    data = {**TICKET, **change, "csrf_token": csrf(client, "ko")}
    r = client.post("/ko/contact", data=data)
    html = text(r)
    assert r.status_code == 422
    assert f'id="kb-{field}-error"' in html and 'aria-invalid="true"' in html
    assert i18n.STRINGS["ko"]["err_summary"] in html
    if field != "subject":
        assert f'value="{TICKET["subject"]}"' in html  # what the player typed is kept
    if field != "description":
        assert TICKET["description"] in html


def test_valid_ticket_is_stored_logged_and_numbered(app, client):
    token = csrf(client, "fa")
    data = {**TICKET, "csrf_token": token, "sid": "s-ticket", "suggested": "withdrawal-times,nope,withdrawal-times"}
    r = client.post("/fa/contact", data=data)
    assert r.status_code == 303 and r.headers["Location"] == "/fa/contact/sent"
    html = text(client.get("/fa/contact/sent"))
    number = re.search(r"#(\d{6})", html).group(1)
    ticket = next(t for t in stored(app, "tickets") if t["number"] == number)
    assert (ticket["lang"], ticket["category"], ticket["email"], ticket["session"]) == (
        "fa", "withdrawals", "player@example.com", "s-ticket")
    assert json.loads(ticket["suggested"]) == ["withdrawal-times"]
    event = [e for e in stored(app, "events") if e["type"] == "ticket_submitted"][-1]
    assert event["session"] == "s-ticket" and json.loads(event["data"])["number"] == number
    query = stored(app, "queries")[-1]
    assert query["kind"] == "suggest" and query["session"] == "s-ticket"
    assert "Withdrawal pending" in query["query"] and "4111" not in query["query"]  # redacted like every log


def test_confirmation_without_a_ticket_goes_back_to_the_form(app):
    r = app.test_client().get("/en/contact/sent")
    assert r.status_code == 302 and r.headers["Location"] == "/en/contact"


# --- widget, CORS, strings ---------------------------------------------------------------------------

def test_widget_script_is_served_with_its_strings(client):
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    body = text(r)
    assert 'attr("fields")' in body and "document.currentScript" in body
    assert i18n.STRINGS["ko"]["solved"] in body and i18n.STRINGS["fa"]["deflected_title"] in body
    assert "{{" not in body


@pytest.fixture
def cors_client(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/kb.sqlite3",
                      "KB_CORS_ORIGINS": "https://shop.example, https://other.example/", "KB_RATE_LIMIT": "off",
                      "TESTING": True})
    yield app.test_client()
    close_app(app)


def test_cors_answers_listed_origins_only(cors_client, client):
    ok = cors_client.get("/api/suggest?q=withdrawal", headers={"Origin": "https://shop.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://shop.example" and "Origin" in ok.headers["Vary"]
    assert cors_client.get("/api/suggest?q=x", headers={"Origin": "https://other.example"}).headers[
        "Access-Control-Allow-Origin"] == "https://other.example"
    assert "Access-Control-Allow-Origin" not in cors_client.get(
        "/api/suggest?q=x", headers={"Origin": "https://evil.example"}).headers
    assert "Access-Control-Allow-Origin" not in cors_client.get(
        "/en/", headers={"Origin": "https://shop.example"}).headers  # pages are not shared
    # the default (empty) setting: same origin only
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/suggest?q=x", headers={"Origin": "https://shop.example"}).headers


def test_cors_preflight(cors_client):
    r = cors_client.options("/api/events", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()


def test_every_ui_string_exists_in_every_language():
    keys = set(i18n.STRINGS["en"])
    for lang in LANGS:
        assert set(i18n.STRINGS[lang]) == keys, lang
        assert set(i18n.CATEGORIES[lang]) == set(i18n.CATEGORY_ORDER), lang


def test_persian_numbers_and_dates():
    import datetime as dt

    assert i18n.count("fa", "article_count", 12) == "۱۲ مقاله"
    assert i18n.date("fa", dt.date(2026, 11, 1)) == "۱ نوامبر ۲۰۲۶"
    assert i18n.date("ko", dt.date(2026, 11, 1)) == "2026년 11월 1일"


def test_search_page_shows_the_answer_card_above_the_results(app, client, monkeypatch):
    from helpcenter.search.answers import AnswerPolicy

    searcher = app.extensions["kb_searcher"].get()
    assert "answer-card" not in text(client.get("/en/search?q=how+do+i+reset+my+password"))  # sections tie
    monkeypatch.setattr(searcher, "answer_policy", AnswerPolicy(min_section_lead=0.0))
    html = text(client.get("/en/search?q=how+do+i+reset+my+password"))
    card = html[html.index('class="answer-card"'):html.index('class="results"')]
    assert "Reset a forgotten password" in card and "/en/articles/reset-password" in card
    answer = searcher.search("how do i reset my password", "en").answer
    assert answer.text.splitlines()[0] in card
    api = client.get("/api/search?q=how+do+i+reset+my+password&lang=en").get_json()
    assert api["answer"]["slug"] == "reset-password" and api["answer"]["text"] == answer.text
