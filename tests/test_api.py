import pytest

from helpcenter.web import create_app
from helpcenter.web.services import close_app


def test_healthz_reports_the_index_version(client, built_index):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "index": (built_index / "CURRENT").read_text()}


def test_search_shape(client):
    r = client.get("/api/search", query_string={"q": "환전 언제 돼요", "lang": "ko"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = r.get_json()
    assert data["query"] == "환전 언제 돼요" and data["lang"] == "ko" and data["answered"] is True
    assert data["results"][0]["slug"] == "withdrawal-times"
    assert data["results"][0]["url"] == "/ko/articles/withdrawal-times"


def test_suggest_defaults_to_five_and_search_to_ten(client):
    assert len(client.get("/api/suggest?q=withdrawal+password+crypto+limits&lang=en").get_json()["results"]) <= 5


@pytest.mark.parametrize("qs", [
    "", "q=", "q=%20%20", "q=" + "x" * 501, "q=ok&lang=de", "q=ok&limit=abc", "q=ok&limit=0", "q=ok&limit=51",
    "q=ok&limit=-1",
])
@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_bad_input_is_400_json(client, path, qs):
    r = client.get(f"{path}?{qs}")
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    assert set(r.get_json()) == {"error"} and r.get_json()["error"]


def test_unknown_api_path_is_json_404(client):
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.get_json()["error"]


def test_wrong_method_is_json_405_naming_the_allowed_ones(client):
    r = client.post("/api/search?q=x")
    assert r.status_code == 405 and r.mimetype == "application/json" and "error" in r.get_json()
    assert "GET" in r.headers["Allow"]


def test_missing_index_answers_503_json(tmp_path):
    app = create_app({"KB_INDEX_DIR": str(tmp_path), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db", "TESTING": True})
    r = app.test_client().get("/api/search?q=hello")
    close_app(app)
    assert r.status_code == 503 and "kb build" in r.get_json()["error"]


def stored(app, table):
    from sqlalchemy import select

    from helpcenter.insights.db import metadata

    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def test_search_is_logged_redacted_and_suggest_only_when_settled(app, client):
    before = len(stored(app, "queries"))
    client.get("/api/search", query_string={"q": "withdrawal to card 4111 1111 1111 1111", "lang": "en", "sid": "abc"})
    client.get("/api/suggest", query_string={"q": "withdr", "lang": "en", "sid": "abc"})
    client.get("/api/suggest", query_string={"q": "withdrawal time", "lang": "en", "sid": "abc", "settled": "1"})
    rows = stored(app, "queries")[before:]
    assert [(r["kind"], r["query"]) for r in rows] == [("search", "withdrawal to card [CARD]"),
                                                      ("suggest", "withdrawal time")]
    assert rows[0]["session"] == "abc" and rows[1]["answered"] is True


@pytest.mark.parametrize("body", [
    {"type": "suggestion_clicked", "slug": "withdrawal-times", "lang": "ko", "session": "s1", "rank": 1},
    {"type": "ticket_submitted", "session": "s1", "query": "my email is x@y.com"},
])
def test_events_are_stored(app, client, body):
    r = client.post("/api/events", json=body)
    assert r.status_code == 202
    row = stored(app, "events")[-1]
    assert row["type"] == body["type"] and "x@y.com" not in row["query"]


@pytest.mark.parametrize("body", [None, [], {"type": "nope"}, {"type": "article_helpful", "slug": 3}])
def test_bad_events_are_400_json(client, body):
    r = client.post("/api/events", data="not json" if body is None else None, json=body,
                    content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]


def test_oversized_body_is_413_json(client):
    r = client.post("/api/events", data="x" * 100_000, content_type="application/json")
    assert r.status_code == 413 and r.get_json()["error"]
