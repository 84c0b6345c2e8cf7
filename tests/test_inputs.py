"""Whatever a request brings in is safe to keep: lone surrogates, NUL and control characters, deep JSON."""
import json

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.web import create_app
from helpcenter.web.inputs import MAX_DEPTH, clean_id, safe_text, safe_value
from helpcenter.web.services import close_app


@pytest.fixture
def app(built_index, database_url):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": database_url, "TESTING": True})
    yield app
    close_app(app)


def rows(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


@pytest.mark.parametrize("raw, safe", [
    ("plain 환전 برداشت", "plain 환전 برداشت"), ("a\x00b", "ab"), ("x\ud800y", "x\ufffdy"), ("tab\tline\nend\r", "tab\tline\nend\r"),
    ("\x1b[31mred", "[31mred"), ("nel\x85", "nel"), ("zw\u200cnj", "zw\u200cnj"), ("\udfff", "\ufffd"),
])
def test_safe_text(raw, safe):
    assert safe_text(raw) == safe


def test_safe_value_walks_keys_and_values_and_refuses_depth():
    assert safe_value({"a\x00": ["b\ud800", {"c": 1}]}) == {"a": ["b\ufffd", {"c": 1}]}
    deep = []
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(ValueError, match="deeper"):
        safe_value(deep)


def test_ids_are_letters_digits_and_dashes():
    assert clean_id("a1-_B") == "a1-_B" and clean_id("x" * 65) == "" and clean_id("a\x00b") == ""
    assert clean_id("<script>") == "" and clean_id(None) == ""


def test_a_lone_surrogate_in_an_event_is_kept_as_a_replacement_and_logging_goes_on(app):
    client = app.test_client()
    body = '{"type": "suggestion_shown", "query": "bonus \\ud800 code", "session": "s1"}'
    assert client.post("/api/events", data=body, content_type="application/json").status_code == 202
    for q in ("withdrawal time", "환전 언제"):  # what comes after is still written
        assert client.get("/api/search", query_string={"q": q, "lang": "en"}).status_code == 200
    events, queries = rows(app, "events"), rows(app, "queries")
    assert [e["query"] for e in events] == ["bonus \ufffd code"]
    assert [q["query"] for q in queries] == ["withdrawal time", "환전 언제"]


def test_nul_and_controls_in_a_search_are_dropped_before_anything_keeps_them(app):
    client = app.test_client()
    assert client.get("/en/search?q=withdrawal%00%1b time").status_code == 200
    assert client.get("/api/search?q=x%00&lang=en").status_code == 200
    assert client.get("/api/suggest?q=%00&lang=en").status_code == 400  # nothing left to search for
    assert [q["query"] for q in rows(app, "queries")] == ["withdrawal time", "x"]


def test_deeply_nested_json_is_a_bad_request(app):
    client = app.test_client()
    nested: list = []
    for _ in range(40):
        nested = [nested]
    for body in ("[" * 30_000 + "]" * 30_000, json.dumps({"type": "suggestion_shown", "x": nested})):
        r = client.post("/api/events", data=body, content_type="application/json")
        assert r.status_code == 400 and r.is_json, r.status_code
