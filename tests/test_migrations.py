"""The database schema changes only through Alembic (`kb db upgrade`), on SQLite and the real PostgreSQL.

A fresh database and one that the code before Alembic made (schema version 4, from its own DDL in
tests/legacy/, or an older version made from it) both reach the head revision, with their rows, and end
up exactly as `metadata` describes them. Serving refuses a database older than the code with a message
naming `kb db upgrade`, where `KB_DB_AUTO_UPGRADE` does not allow upgrading it at start.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import BIN, ROOT, free_port
from sqlalchemy import select, text

from helpcenter.cli import main
from helpcenter.insights.db import (
    SCHEMA_VERSION,
    Database,
    SchemaOutdated,
    engine_for,
    head_revision,
    metadata,
    queries,
    schema_info,
    tickets,
    upgrade,
)

LEGACY = Path(__file__).resolve().parent / "legacy"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def blank_url(request, tmp_path):
    """An empty database of its own: a SQLite file, or a PostgreSQL database made and dropped for the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.sqlite3'}"
        return
    import psycopg
    from conftest import PG_ADMIN_URL, ensure_postgres

    ensure_postgres()
    name = f"kb_migrations_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dialect(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def run_sql(url: str, sql: str) -> None:
    """A script through the driver itself, as a DBA (or the old code's DDL) would run it."""
    if dialect(url) == "sqlite":
        with sqlite3.connect(url[len("sqlite:///"):]) as conn:
            conn.executescript(sql)
        return
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(sql)


def make_legacy_v4(url: str) -> None:
    """The database the code before Alembic made (its DDL, its version row), with a few rows in it."""
    run_sql(url, (LEGACY / f"v4-{dialect(url)}.sql").read_text(encoding="utf-8"))
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO queries (ts, session, kind, lang, query, answered, fallback, results, "
                          "confidence) VALUES (CURRENT_TIMESTAMP, 's', 'search', 'ko', '환전 언제', false, false, "
                          "'[]', 0.1)"))
        conn.execute(text("INSERT INTO tickets (uid, number, ts, session, visit, lang, category, subject, "
                          "description, email, status, suggested) VALUES ('u1', '123456', CURRENT_TIMESTAMP, '', "
                          "'', 'fa', 'withdrawals', 'برداشت', 'd', 'a@b.c', 'received', '[]')"))
    engine.dispose()


def schema_diff(url: str) -> list:
    """What Alembic's autogenerate finds between the database and `metadata`: nothing, when they agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()


def stored_revision(url: str) -> str | None:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    finally:
        engine.dispose()


def kb_db(*args: str, url: str):
    return CliRunner().invoke(main, ["db", *args], env={"KB_DATABASE_URL": url})


def test_a_fresh_database_upgrades_to_exactly_the_schema_the_code_uses(blank_url):
    assert upgrade(blank_url) == head_revision()
    assert stored_revision(blank_url) == head_revision()
    assert schema_diff(blank_url) == []
    assert upgrade(blank_url) == head_revision()  # again: nothing to do
    db = Database(blank_url, "off")  # at the head: opens without changing anything
    try:
        assert db.schema_revision == head_revision()
        assert db.rows(select(schema_info)) == [{"key": "version", "value": str(SCHEMA_VERSION)}]
    finally:
        db.dispose()


def test_a_version_4_database_of_the_code_before_alembic_upgrades_with_its_rows(blank_url):
    make_legacy_v4(blank_url)
    with pytest.raises(SchemaOutdated, match="kb db upgrade"):
        Database(blank_url, "off")
    assert kb_db("status", url=blank_url).exit_code == 1
    result = kb_db("upgrade", url=blank_url)
    assert result.exit_code == 0, result.output
    assert f"upgraded from schema version 4 from before `kb db upgrade` existed to revision {head_revision()}" \
        in result.output
    assert schema_diff(blank_url) == []
    db = Database(blank_url, "off")
    try:
        assert db.rows(select(queries.c.query)) == [{"query": "환전 언제"}]
        assert db.rows(select(tickets.c.number, tickets.c.subject)) == [{"number": "123456", "subject": "برداشت"}]
    finally:
        db.dispose()
    again = kb_db("upgrade", url=blank_url)
    assert again.exit_code == 0 and "already at revision" in again.output
    status = kb_db("status", url=blank_url)
    assert status.exit_code == 0 and f"database: revision {head_revision()}" in status.output


def test_a_version_1_database_goes_through_every_step_of_the_code_before_alembic(blank_url):
    make_legacy_v4(blank_url)
    serial = "SERIAL" if dialect(blank_url) == "postgresql" else "INTEGER"
    # version 1: no gap membership yet, editors counting failures themselves, tickets numbered '#…'
    run_sql(blank_url, f"""
        DROP TABLE gap_members; DROP TABLE gap_runs; DROP TABLE login_failures; DROP TABLE outbox;
        DROP TABLE ticket_replies; DROP TABLE tickets;
        CREATE TABLE tickets (id {serial} PRIMARY KEY, number VARCHAR(16) NOT NULL UNIQUE, ts TIMESTAMP NOT NULL,
            session VARCHAR(64) NOT NULL, lang VARCHAR(2) NOT NULL, category VARCHAR(40) NOT NULL,
            subject TEXT NOT NULL, description TEXT NOT NULL, email VARCHAR(320) NOT NULL,
            status VARCHAR(16) NOT NULL, suggested TEXT NOT NULL);
        INSERT INTO tickets (number, ts, session, lang, category, subject, description, email, status, suggested)
            VALUES ('#654321', CURRENT_TIMESTAMP, '', 'ko', 'deposits', 's', 'd', 'a@b.c', 'open', '[]');
        ALTER TABLE editors DROP COLUMN session_epoch;
        ALTER TABLE editors ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE editors ADD COLUMN last_failed_at TIMESTAMP;
        UPDATE schema_info SET value = '1';
    """)
    assert upgrade(blank_url) == head_revision()
    db = Database(blank_url, "off")
    try:
        assert db.rows(select(schema_info)) == [{"key": "version", "value": str(SCHEMA_VERSION)}]
        (ticket,) = db.rows(select(tickets))
        assert ticket["number"] == "654321" and ticket["status"] == "received" and len(ticket["uid"]) == 32
        assert db.count("gap_runs") == 0 and db.count("login_failures") == 0 and db.count("outbox") == 0
    finally:
        db.dispose()


def test_opening_an_older_database_upgrades_it_only_where_allowed(blank_url):
    make_legacy_v4(blank_url)
    with pytest.raises(SchemaOutdated, match="kb db upgrade"):
        Database(blank_url, "off")
    if dialect(blank_url) == "postgresql":
        # a server shared by replicas: its schema changes when the operator says so, not at some start-up
        with pytest.raises(SchemaOutdated, match=r"run `kb db upgrade`.*KB_DB_AUTO_UPGRADE=on"):
            Database(blank_url, "auto")
        db = Database(blank_url, "on")
    else:
        db = Database(blank_url, "auto")  # one machine's own file: `make run` just works
    try:
        assert db.schema_revision == head_revision()
    finally:
        db.dispose()


def test_an_empty_database_gets_the_schema_unless_upgrades_are_off(blank_url):
    with pytest.raises(SchemaOutdated, match="an empty database"):
        Database(blank_url, "off")
    db = Database(blank_url)  # auto, the default
    try:
        assert db.schema_revision == head_revision()
    finally:
        db.dispose()


def test_a_database_upgraded_by_newer_code_is_refused(blank_url):
    upgrade(blank_url)
    engine = engine_for(blank_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    engine.dispose()
    for mode in ("auto", "on"):
        with pytest.raises(SchemaOutdated, match="newer code"):
            Database(blank_url, mode)
    result = kb_db("upgrade", url=blank_url)
    assert result.exit_code == 1 and "newer code" in result.output and "Traceback" not in result.output


def test_kb_db_upgrade_says_what_is_wrong_when_the_database_cannot_be_reached(tmp_path):
    result = kb_db("upgrade", url=f"postgresql://postgres@127.0.0.1:{free_port()}/nothing")
    assert result.exit_code == 1 and "could not be upgraded" in result.output
    assert "Traceback" not in result.output


@pytest.mark.serving
def test_the_server_refuses_an_older_database_with_what_to_do_and_no_traceback(blank_url, site):
    env, _, tmp = site
    make_legacy_v4(blank_url)
    stderr = tmp / "gunicorn.err"
    with open(stderr, "wb") as err:
        done = subprocess.run(
            [str(BIN / "gunicorn"), "-c", "python:helpcenter.serving", "-w", "2", "-b", f"127.0.0.1:{free_port()}",
             "helpcenter.web:create_app()"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, timeout=120,
            env={**os.environ, **env, "KB_DATABASE_URL": blank_url, "KB_DB_AUTO_UPGRADE": "off"})
    assert done.returncode != 0
    lines = [json.loads(line) for line in stderr.read_text(encoding="utf-8").splitlines()]  # every line JSON
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert "kb db upgrade" in error["message"] and "schema version 4" in error["message"]
    assert not any("Traceback" in json.dumps(line) or "exc_info" in line for line in lines)
    assert stored_revision_or_none(blank_url) is None  # nothing was changed


def stored_revision_or_none(url: str) -> str | None:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            has = conn.dialect.has_table(conn, "alembic_version")
        return stored_revision(url) if has else None
    finally:
        engine.dispose()
