"""Personal data never rests raw: query logs, tickets, the access log."""
import json
import re

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.web import create_app
from helpcenter.web.services import close_app


@pytest.fixture
def app(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                      "TESTING": True})
    yield app
    close_app(app)


def rows(app, table):
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]))


def test_logged_queries_and_events_are_redacted(app):
    client = app.test_client()
    client.get("/api/search", query_string={"q": "전화010.1234.5678 환전 안돼요", "lang": "ko"})
    client.post("/api/events", json={"type": "suggestion_shown", "query": "usdt TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE로"})
    assert [r["query"] for r in rows(app, "queries")] == ["전화[PHONE] 환전 안돼요"]
    assert [r["query"] for r in rows(app, "events")] == ["usdt [WALLET]로"]


def test_tickets_keep_cards_to_the_last_four_and_mask_identity_numbers(app):
    client = app.test_client()
    page = client.get("/en/contact").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/en/contact", data={
        "csrf_token": token, "category": "deposits", "subject": "card 4111 1111 1111 1111 charged twice",
        "description": "주민번호 900101-1234567, call me on 010-1234-5678", "email": "player@example.com"})
    assert r.status_code == 303
    (ticket,) = rows(app, "tickets")
    assert ticket["subject"] == "card [CARD …1111] charged twice"
    assert ticket["description"] == "주민번호 [ID], call me on 010-1234-5678"


@pytest.mark.serving
def test_the_access_log_has_no_query_string_referrer_or_address(site):
    from servers import Server, get

    env, _, tmp = site
    server = Server({**env, "GUNICORN_CMD_ARGS": f"--access-logfile {tmp / 'access.log'}"})
    try:
        status, _ = get(server.url + "/api/search?q=kim%40example.com+010-1234-5678&lang=en")
        assert status == 200
    finally:
        server.stop()
    log = (tmp / "access.log").read_text()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]  # KB_LOG_FORMAT=json: one object a line
    (line,) = [line for line in lines if line.get("path", "").startswith("/api/search")]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/search", 200)
    assert "kim" not in log and "1234" not in log and "127.0.0.1" not in log
