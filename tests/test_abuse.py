"""Abuse: what one client can make the server do is bounded, and bad input is refused cleanly.

Each test reproduces a way the service was abused in the field; each would fail without its fix."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.web import create_app
from helpcenter.web.security import CSP
from helpcenter.web.services import close_app


def make_app(built_index, tmp_path, **settings):
    return create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                       "KB_RATE_LIMIT": "off", "TESTING": True, **settings})


@pytest.fixture
def app(built_index, tmp_path):
    app = make_app(built_index, tmp_path)
    yield app
    close_app(app)


def rows(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def csrf(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


# --- what one client can make the server compute ----------------------------------------------------

def test_the_encoder_budget_bounds_one_client_and_not_the_others(built_index, tmp_path, monkeypatch):
    app = make_app(built_index, tmp_path, KB_ENCODER_BUDGET="120/minute", KB_PROXY_HOPS="1")
    try:
        encoder = app.extensions["kb_searcher"].get().index.encoder
        encoded: list[str] = []  # the texts the model itself read (cache hits not counted)
        real = encoder._query
        monkeypatch.setattr(encoder, "_query", lambda text: encoded.append(text) or real(text))
        client = app.test_client()
        words = "my withdrawal has been pending for three days and support does not answer my messages"
        answers = []
        for i in range(12):  # long, all different: ~25 tokens each, 300 in all, past the 120 of the budget
            r = client.get("/api/search", query_string={"q": f"{words} {i}", "lang": "en"},
                           headers={"X-Forwarded-For": "203.0.113.7"})
            answers.append(r.status_code)
        assert answers == [200] * 12  # every query is answered...
        assert 2 <= len(encoded) <= 6  # ...but the encoder read only as many as the budget pays for
        # another player is not held back by the first one's spending
        r = client.get("/api/search", query_string={"q": f"{words} other", "lang": "en"},
                       headers={"X-Forwarded-For": "198.51.100.9"})
        assert r.status_code == 200 and encoded[-1] == f"{words} other"
        # a text the encoder read before costs nothing
        before = len(encoded)
        r = client.get("/api/search", query_string={"q": f"{words} 0", "lang": "en"},
                       headers={"X-Forwarded-For": "203.0.113.7"})
        assert r.status_code == 200 and len(encoded) == before
    finally:
        close_app(app)


def test_the_search_page_counts_against_the_rate_limit(built_index, tmp_path):
    app = make_app(built_index, tmp_path, KB_RATE_LIMIT="3/minute")
    try:
        client = app.test_client()
        codes = [client.get("/en/search", query_string={"q": f"bonus {i}"}).status_code for i in range(5)]
        assert codes == [200, 200, 200, 429, 429]
    finally:
        close_app(app)


def test_tickets_from_one_address_are_limited_and_the_form_keeps_the_text(built_index, tmp_path):
    app = make_app(built_index, tmp_path, KB_TICKET_RATE_LIMIT="2/minute")
    try:
        client = app.test_client()
        token = csrf(client, "/ko/contact")
        codes = []
        for i in range(4):
            r = client.post("/ko/contact", data={"csrf_token": token, "category": "deposits", "subject": f"입금 {i}",
                                                  "description": "입금했는데 안 들어왔어요 확인 부탁드립니다",
                                                  "email": "p@example.com"})
            codes.append(r.status_code)
        assert codes == [303, 303, 429, 429]
        assert int(r.headers["Retry-After"]) > 0
        html = r.get_data(as_text=True)
        assert "입금 3" in html and "입금했는데 안 들어왔어요" in html and "p@example.com" in html
        assert len(rows(app, "tickets")) == 2
    finally:
        close_app(app)


# --- events -----------------------------------------------------------------------------------------

def test_events_name_real_articles_and_keep_only_known_fields(app):
    client = app.test_client()
    assert client.post("/api/events", json={"type": "article_helpful", "slug": "fake-article"}).status_code == 400
    assert client.post("/api/events", json={"type": "article_helpful", "lang": "xx"}).status_code == 400
    assert client.post("/api/events", json={"type": "suggestion_clicked", "rank": "1"}).status_code == 400
    assert client.post("/api/events", json={"type": "suggestion_shown", "slugs": ["reset-password", "made-up"],
                                            "visit": "v1", "source": "widget", "rank": 2, "evil": "x" * 3000,
                                            "nested": {"a": [1, 2]}}).status_code == 202
    (event,) = rows(app, "events")
    assert event["data"] == '{"slugs": ["reset-password"], "rank": 2, "source": "widget", "visit": "v1"}'


def test_votes_from_one_address_are_limited(app):
    client = app.test_client()
    codes = [client.post("/api/events", json={"type": "article_helpful", "slug": "reset-password",
                                              "session": f"s{i}"}).status_code for i in range(35)]
    assert codes[:30] == [202] * 30 and set(codes[30:]) == {429}


# --- the API's edges ---------------------------------------------------------------------------------

def test_suggest_takes_its_parameters_in_a_post_body_too(app):
    client = app.test_client()
    got = client.post("/api/suggest", json={"q": "password ", "lang": "en", "limit": 3, "settled": True,
                                            "sid": "s-1"}).get_json()
    same = client.get("/api/suggest", query_string={"q": "password ", "lang": "en", "limit": 3,
                                                    "settled": 1}).get_json()
    assert got == same and got["results"]
    # as text/plain (the widget's cross-origin posts need no preflight)
    r = client.post("/api/suggest", data='{"q": "환전", "lang": "ko"}', content_type="text/plain")
    assert r.status_code == 200 and r.get_json()["lang"] == "ko"
    assert [q["session"] for q in rows(app, "queries")] == ["s-1", ""]
    for bad in ({"q": 5}, {"q": "x", "settled": "yes"}, {"q": "x", "limit": True}, {"q": ""}, ["q"]):
        r = client.post("/api/suggest", json=bad)
        assert r.status_code == 400 and "error" in r.get_json(), bad


def test_readiness_tells_a_missing_index_from_a_live_one(app, tmp_path):
    client = app.test_client()
    r = client.get("/readyz")
    assert r.status_code == 200 and r.get_json()["status"] == "ready" and r.get_json()["log_queue"] == 0
    empty = make_app(tmp_path / "no-index", tmp_path / "x")
    try:
        for path in ("/healthz", "/readyz", "/api/search?q=x"):
            r = empty.test_client().get(path)
            assert r.status_code == 503 and r.is_json, path
        assert "index" in empty.test_client().get("/readyz").get_json()["problems"]
    finally:
        close_app(empty)


# --- headers -----------------------------------------------------------------------------------------

def test_pages_carry_a_content_security_policy_and_cookies_are_secure_behind_tls(built_index, tmp_path):
    app = make_app(built_index, tmp_path, KB_PROXY_HOPS="1")
    try:
        client = app.test_client()
        r = client.get("/en/contact")
        assert r.headers["Content-Security-Policy"] == CSP and "'unsafe-inline'" not in CSP
        assert "Secure" not in r.headers["Set-Cookie"] and "Strict-Transport-Security" not in r.headers
        r = app.test_client().get("/en/contact", headers={"X-Forwarded-Proto": "https"})  # a new visitor
        assert "; Secure" in r.headers["Set-Cookie"] and "max-age" in r.headers["Strict-Transport-Security"]
        for path in ("/en/", "/admin/login", "/widget.css"):
            assert client.get(path).status_code == 200
        # no inline script or style on any page the policy covers
        for path in ("/en/", "/fa/contact", "/ko/search?q=환전", "/admin/login"):
            html = client.get(path).get_data(as_text=True)
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\bstyle=|\bon[a-z]+=", html), path
    finally:
        close_app(app)
