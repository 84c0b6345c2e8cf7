"""The storage layer on SQLite and on the real PostgreSQL server."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from helpcenter.content.errors import ConfigError
from helpcenter.insights.db import SCHEMA_VERSION, Database, head_revision, now, queries, schema_info
from helpcenter.insights.logwriter import BatchWriter
from helpcenter.insights.tickets import add_ticket


@pytest.fixture
def open_store(database_url):
    opened = []

    def _open():
        opened.append(Database(database_url))
        return opened[-1]

    yield _open
    for store in opened:
        store.dispose()


def test_schema_is_created_and_versioned(open_store):
    store = open_store()
    assert store.schema_revision == head_revision()
    # what the code before Alembic read stays as it left it
    assert store.rows(select(schema_info)) == [{"key": "version", "value": str(SCHEMA_VERSION)}]
    assert open_store().schema_revision == head_revision()  # opening again is harmless


def test_batch_writer_flushes_on_close(open_store):
    store = open_store()
    w = BatchWriter(store, interval=60)  # nothing is written by the timer in this test
    for i in range(250):
        w.put("events", {"ts": now(), "session": "s", "type": "suggestion_shown", "lang": "ko",
                         "slug": f"a{i}", "query": "환전", "data": "{}"})
    assert store.count("events") == 0
    w.close()
    assert store.count("events") == 250


def test_tickets_get_unique_numbers(open_store):
    store = open_store()
    made = [add_ticket(store, lang="fa", category="withdrawals", subject="برداشت", description="…",
                       email="a@b.c") for _ in range(30)]
    assert len({t.number for t in made}) == 30 and all(t.number.isdigit() and len(t.number) == 6 for t in made)
    assert len({t.uid for t in made}) == 30 and all(t.shown_number == "#" + t.number for t in made)


def test_prune_removes_only_old_rows(open_store):
    store = open_store()
    old = now() - dt.timedelta(days=100)
    row = {"session": "", "kind": "search", "lang": "en", "query": "q", "answered": True, "results": "[]"}
    store.write_batch([("queries", {**row, "ts": old}), ("queries", {**row, "ts": now()})])
    assert store.prune(90) == {"queries": 1, "events": 0, "tickets": 0}
    assert store.count("queries") == 1


def test_unicode_round_trip(open_store):
    store = open_store()
    store.write_batch([("queries", {"ts": now(), "session": "x", "kind": "search", "lang": "fa",
                                    "query": "می‌خواهم برداشت کنم", "answered": False, "results": json.dumps([])})])
    assert store.rows(select(queries.c.query)) == [{"query": "می‌خواهم برداشت کنم"}]


def test_concurrent_first_open_is_safe(database_url):
    """Workers start together on a fresh database: every one gets the schema, none fails."""
    import threading

    errors, stores = [], []

    def open_one():
        try:
            stores.append(Database(database_url))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in stores:
        store.dispose()
    assert errors == [] and len(stores) == 6
    assert {s.schema_revision for s in stores} == {head_revision()}


def test_opening_sqlite_waits_out_a_lock_that_outlasts_one_busy_wait(tmp_path, monkeypatch):
    """A worker starting while another connection holds the file (on a loaded machine, longer than the
    driver's busy wait) opens once the lock is gone instead of failing its start."""
    import sqlite3
    import threading

    from helpcenter.insights import db

    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.1)
    path = tmp_path / "kb.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.0, holder.close)  # closing ends the transaction and frees the file
    release.start()
    try:
        store = Database(f"sqlite:///{path}")
    finally:
        release.join()
    try:
        assert store.schema_revision == head_revision()
    finally:
        store.dispose()


def test_opening_sqlite_gives_up_on_a_lock_that_stays(tmp_path, monkeypatch):
    import sqlite3

    from helpcenter.insights import db

    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.1)
    monkeypatch.setattr(db, "SQLITE_OPEN_SECONDS", 0.5)
    path = tmp_path / "kb.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ConfigError, match="database is locked"):
            Database(f"sqlite:///{path}")
    finally:
        holder.close()


def test_a_database_of_an_older_schema_is_brought_up_to_date(database_url):
    from sqlalchemy import inspect, text

    from helpcenter.insights.db import editors, engine_for, login_failures, outbox, tickets, upgrade

    db = Database(database_url)  # the current schema, then made to look like version 2 (before Alembic)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        for table in ("login_failures", "outbox", "ticket_replies", "tickets"):
            conn.execute(text(f"DROP TABLE {table}"))
        serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"  # as version 1 made them
        conn.execute(text(f"""CREATE TABLE tickets (id {serial} PRIMARY KEY, number VARCHAR(16) NOT NULL UNIQUE,
            ts TIMESTAMP NOT NULL, session VARCHAR(64) NOT NULL, lang VARCHAR(2) NOT NULL, category VARCHAR(40)
            NOT NULL, subject TEXT NOT NULL, description TEXT NOT NULL, email VARCHAR(320) NOT NULL,
            status VARCHAR(16) NOT NULL, suggested TEXT NOT NULL)"""))
        conn.execute(text("INSERT INTO tickets (number, ts, session, lang, category, subject, description, email, "
                          "status, suggested) VALUES ('#123456', :t, '', 'ko', 'deposits', 's', 'd', 'a@b.c', "
                          "'open', '[]')"), {"t": now()})
        conn.execute(text("ALTER TABLE editors DROP COLUMN session_epoch"))
        conn.execute(text("ALTER TABLE editors ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0"))
        conn.execute(text("ALTER TABLE editors ADD COLUMN last_failed_at TIMESTAMP"))
        conn.execute(text("INSERT INTO editors (email, password_hash, created_at) VALUES ('a@b.c', 'x', :t)"),
                     {"t": now()})
        conn.execute(schema_info.update().values(value="2"))
    db.dispose()
    assert upgrade(database_url) == head_revision()  # `kb db upgrade`
    again = Database(database_url, "off")
    try:
        assert again.schema_revision == head_revision()
        assert again.rows(select(schema_info)) == [{"key": "version", "value": str(SCHEMA_VERSION)}]
        assert again.rows(select(editors.c.email, editors.c.session_epoch)) == [{"email": "a@b.c", "session_epoch": 0}]
        assert again.rows(select(login_failures)) == [] and again.rows(select(outbox)) == []
        (ticket,) = again.rows(select(tickets))
        assert ticket["number"] == "123456" and ticket["status"] == "received" and len(ticket["uid"]) == 32
        add_ticket(again, lang="en", category="c", subject="s", description="d", email="a@b.c")  # ids still come
        engine = engine_for(database_url)
        try:
            columns = {c["name"] for c in inspect(engine).get_columns("editors")}
        finally:
            engine.dispose()
        assert "failed_logins" not in columns
    finally:
        again.dispose()
