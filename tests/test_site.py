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
    ("/ko/articles/one-liner", ["en", "ko"]),  # the reader's own language stays (the page they are on)
    ("/fa/articles/crypto-deposits", ["en", "fa"]),
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


@pytest.mark.parametrize("lang, q", [("en", "hi"), ("fa", "سلام خسته نباشید"), ("ko", "테스트")])
def test_a_search_that_asks_nothing_asks_what_the_player_needs(client, lang, q):
    html = text(client.get(f"/{lang}/search", query_string={"q": q}))
    assert i18n.STRINGS[lang]["ask_title"] in html and i18n.STRINGS[lang]["no_answer_title"] not in html
    assert "/articles/" not in html.split('class="results"', 1)[1].split("</ol>", 1)[0]  # no related list
    assert 'value="' + q + '"' in html  # the box keeps what was typed


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
    assert i18n.date("fa", dt.date(2026, 11, 1)) == "۱۰ آبان ۱۴۰۵"  # Solar Hijri, as Persian readers date
    assert i18n.date("ko", dt.date(2026, 11, 1)) == "2026년 11월 1일"


def test_search_page_shows_the_answer_card_above_the_results(app, client, monkeypatch):
    from helpcenter.search.answers import AnswerPolicy

    searcher = app.extensions["kb_searcher"].get()
    assert "answer-card" not in text(client.get("/en/search?q=how+do+i+reset+my+password"))  # sections tie
    # the tiny articles' sections tie, and the shipped no-answer model is 0.73 sure of them (test_search.py)
    monkeypatch.setattr(searcher, "answer_policy", AnswerPolicy(min_probability=0.7, min_section_lead=0.0))
    html = text(client.get("/en/search?q=how+do+i+reset+my+password"))
    card = html[html.index('class="answer-card"'):html.index('class="results"')]
    assert "Reset a forgotten password" in card and "/en/articles/reset-password" in card
    answer = searcher.search("how do i reset my password", "en").answer
    assert answer.text.splitlines()[0] in card
    api = client.get("/api/search?q=how+do+i+reset+my+password&lang=en").get_json()
    assert api["answer"]["slug"] == "reset-password" and api["answer"]["text"] == answer.text


# --- issue 22: honest results, did you mean, votes and why not, the footer, the language switcher -----

def result_cards(html: str) -> list[str]:
    return [part.split("</li>")[0] for part in html.split('<li class="result"')[1:]]


def test_results_list_the_relevant_hits_and_count_them_not_the_cap(client):
    # every article of the test index gets a vector score; only the one the words are about is listed
    html = text(client.get("/en/search", query_string={"q": "password email not in spam folder"}))
    cards = result_cards(html)
    assert len(cards) == 1 and "/en/articles/reset-password" in cards[0]
    assert '<p class="muted result-count">1 result</p>' in html


def test_relevant_keeps_hits_near_the_best_and_everything_of_an_unanswered_query():
    from helpcenter.search.searcher import Hit, SearchResponse
    from helpcenter.web.site import RELEVANT_SHARE, relevant

    hits = tuple(Hit(f"a{i}", "en", "t", score, "", "", "") for i, score in enumerate([0.9, 0.6, 0.5, 0.3, 0.1]))
    kept = relevant(SearchResponse("q", "en", True, hits))
    assert [h.score for h in kept] == [h.score for h in hits if h.score >= RELEVANT_SHARE * 0.9] == [0.9, 0.6, 0.5]
    assert relevant(SearchResponse("q", "en", False, hits[:3])) == list(hits[:3])  # "might be related", as found
    assert relevant(SearchResponse("q", "en", True, ())) == []


def test_each_result_names_its_category_in_the_readers_language(client):
    card = result_cards(text(client.get("/fa/search", query_string={"q": "رمزمو یادم رفته"})))[0]
    assert '<p class="result-category" lang="fa" dir="rtl">' in card
    assert 'href="/fa/categories/account"' in card and i18n.CATEGORIES["fa"]["account"] in card


@pytest.mark.parametrize("lang, q, better", [
    ("en", "passwrod", "password"),  # a typo, corrected against the index's words
    ("en", "widthdrawal time", "withdrawal time"),
    ("ko", "ghkswjs", "환전"),  # Korean typed with the keyboard in English layout
])
def test_did_you_mean_offers_the_reading_that_answers(client, lang, q, better):
    html = text(client.get(f"/{lang}/search", query_string={"q": q}))
    block = re.search(r'<p class="did-you-mean">(.*?)</p>', html, re.DOTALL)
    assert block, "no did-you-mean"
    assert f'href="/{lang}/search?q={better.replace(" ", "+")}"' in block.group(1) or better in block.group(1)
    assert f">{better}</a>" in block.group(1)


@pytest.mark.parametrize("q", ["password email not in spam folder", "best lasagna recipe with spinach"])
def test_no_did_you_mean_without_a_better_reading(client, q):
    assert 'class="did-you-mean"' not in text(client.get("/en/search", query_string={"q": q}))


def test_fallback_article_badge_and_note_do_not_repeat_each_other(client):
    html = text(client.get("/ko/articles/crypto-deposits"))
    note = re.search(r'<p class="note" role="note">(.*?)</p>', html, re.DOTALL).group(1)
    assert i18n.STRINGS["ko"]["original_language"] in note and i18n.STRINGS["ko"]["untranslated_note"] in note
    assert i18n.STRINGS["ko"]["untranslated"] not in note
    badge = re.search(r'<span class="badge badge-lang">(.*?)</span>', note).group(1)
    assert badge not in re.sub(r"<span.*?</span>", "", note)  # the note's words do not say the badge again


def test_switcher_keeps_the_readers_language_on_their_own_site(client):
    html = text(client.get("/ko/articles/crypto-deposits"))
    block = re.search(r'<ul class="langs">(.*?)</ul>', html, re.DOTALL).group(1)
    assert 'href="/ko/articles/crypto-deposits" lang="ko" hreflang="ko"' in block
    assert re.search(r'href="/ko/articles/crypto-deposits"[^>]*aria-current="true"', block)
    assert 'href="/en/articles/crypto-deposits"' in block and "/fa/" not in block
    assert '<link rel="alternate" hreflang="ko"' not in html  # an alternate is another language's page only


def vote(client, slug, lang, helpful):
    r = client.post("/api/events", json={"type": "article_helpful" if helpful else "article_not_helpful",
                                         "slug": slug, "lang": lang})
    assert r.status_code == 202


def test_votes_show_as_n_of_m_on_the_text_they_were_cast_on(app, client):
    from helpcenter.web import site

    site.vote_counts.forget()
    assert 'class="helpful-count"' not in text(client.get("/en/articles/crypto-deposits"))  # no votes: no count
    for lang, helpful in [("en", True), ("ko", True), ("fa", False), ("en", True)]:
        vote(client, "crypto-deposits", lang, helpful)  # English-only: every reader voted on the English text
    vote(client, "withdrawal-times", "en", True)  # another article
    app.extensions["kb_writer"].flush()
    site.vote_counts.forget()  # the counts a worker keeps for a minute
    assert '<p class="helpful-count">3 of 4 found this helpful</p>' in text(client.get("/en/articles/crypto-deposits"))
    assert "۳ نفر از ۴ نفر" in text(client.get("/fa/articles/crypto-deposits"))
    # a translated article: the Korean text's votes are the Korean readers'
    vote(client, "withdrawal-times", "ko", False)
    app.extensions["kb_writer"].flush()
    site.vote_counts.forget()
    assert "2명 중 0명에게" not in text(client.get("/ko/articles/withdrawal-times"))
    assert "1명 중 0명에게 도움이 되었어요" in text(client.get("/ko/articles/withdrawal-times"))
    assert "1 of 1 found this helpful" in text(client.get("/en/articles/withdrawal-times"))


def test_why_not_form_follows_the_no_vote(client):
    html = text(client.get("/fa/articles/reset-password"))
    why = re.search(r'<div class="helpful-why" data-thanks="article_not_helpful" hidden>(.*?)</div>', html, re.DOTALL)
    assert why and 'action="/fa/articles/reset-password/feedback"' in why.group(1)
    for reason in ("unclear", "not_my_question", "outdated", "other"):
        assert f'value="{reason}"' in why.group(1) and i18n.STRINGS["fa"][f"why_{reason}"] in why.group(1)
    assert '<textarea id="kb-why-comment" name="comment"' in why.group(1)


def test_why_not_is_stored_as_a_redacted_event_and_thanked(app, client):
    client.set_cookie("kb_sid", "s-why-1")
    r = client.post("/en/articles/reset-password/feedback",
                    data={"reason": "outdated", "comment": "The link went to old@example.com, call me +44 7700 900123"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/en/articles/reset-password?feedback=sent#kb-helpful"
    event = [e for e in stored(app, "events") if e["type"] == "article_feedback"][-1]
    data = json.loads(event["data"])
    assert (event["slug"], event["lang"], event["session"], data["reason"]) == ("reset-password", "en", "s-why-1", "outdated")
    assert "old@example.com" not in data["comment"] and "7700" not in data["comment"] and "[EMAIL]" in data["comment"]
    html = text(client.get(r.headers["Location"]))
    assert i18n.STRINGS["en"]["feedback_thanks"] in html and "data-helpful" not in html  # no second vote


@pytest.mark.parametrize("path, data, status", [
    ("/en/articles/reset-password/feedback", {"reason": "bogus"}, 400),
    ("/en/articles/reset-password/feedback", {}, 400),
    ("/en/articles/no-such-article/feedback", {"reason": "other"}, 404),
    ("/xx/articles/reset-password/feedback", {"reason": "other"}, 404),
])
def test_why_not_refuses_bad_input_with_an_html_page(client, path, data, status):
    r = client.post(path, data=data)
    assert r.status_code == status and r.mimetype == "text/html"


def test_why_not_with_only_a_comment_counts_as_other(app, client):
    assert client.post("/ko/articles/withdrawal-times/feedback", data={"comment": "  너무   짧아요 "}).status_code == 303
    event = [e for e in stored(app, "events") if e["type"] == "article_feedback"][-1]
    assert json.loads(event["data"])["reason"] == "other" and json.loads(event["data"])["comment"] == "너무 짧아요"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/articles/withdrawal-times", "/{lang}/search?q=x",
                                  "/{lang}/contact", "/{lang}/articles/no-such-article"])
def test_every_player_page_has_the_responsible_gambling_footer(client, path, lang):
    html = text(client.get(path.format(lang=lang)))
    footer = html[html.index('<footer class="footer">'):]
    assert f'<span class="rg-age">{i18n.STRINGS[lang]["rg_age"]}</span>' in footer
    assert i18n.STRINGS[lang]["rg_line"] in footer
    # the test content has none of the help articles, but a responsible-gambling topic: its page is linked
    assert (f'<a href="/{lang}/categories/responsible-gambling">'
            f'{i18n.CATEGORIES[lang]["responsible-gambling"]}</a>') in footer


def test_footer_links_the_sites_own_gambling_help_articles(client, monkeypatch):
    searcher = client.application.extensions["kb_searcher"].get()
    monkeypatch.setitem(searcher.langs_by_slug, "self-exclusion", {"en", "ko"})
    footer = text(client.get("/ko/"))
    footer = footer[footer.index('<footer class="footer">'):]
    assert f'<a href="/ko/articles/self-exclusion">{i18n.STRINGS["ko"]["rg_self_exclusion"]}</a>' in footer
    assert "gambling-help-resources" not in footer  # only articles that exist


def test_home_shows_popular_articles(client):
    html = text(client.get("/en/"))
    block = re.search(r'<section class="popular".*?</section>', html, re.DOTALL).group(0)
    assert i18n.STRINGS["en"]["popular_title"] in block
    assert len(re.findall(r'<li><a href="/en/articles/[a-z0-9-]+"', block)) >= 3


def test_highlight_keeps_punctuation_outside_the_mark():
    assert str(highlight('"Pending", then', [(0, 10)])) == "&#34;<mark>Pending</mark>&#34;, then"
    assert str(highlight("نشد، مقاله", [(0, 4)])) == "<mark>نشد</mark>، مقاله"
    assert str(highlight("(2FA)", [(0, 5)])) == "(<mark>2FA</mark>)"
    assert str(highlight("a -- b", [(2, 4)])) == "a <mark>--</mark> b"  # nothing but punctuation: as given


def test_search_box_announces_its_keyboard_shortcuts(client):
    html = text(client.get("/ko/"))
    assert 'aria-keyshortcuts="/ Control+K"' in html and "/static/shortcuts.js" in html
