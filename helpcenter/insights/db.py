"""The service's database (SQLAlchemy 2 Core): the schema of query logs, events, tickets, gap groups and
editor accounts, the engine, migrations.

SQLite (WAL) by default; `postgresql://` URLs use psycopg 3. The schema is created and migrated on
open, and its version recorded in `schema_info`.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from helpcenter.content.errors import ConfigError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4  # 2: gap_members, gap_runs; 3: login_failures, editors.session_epoch;
# 4: ticket uid, visit, updated_at and digits-only numbers; ticket_replies, outbox
metadata = MetaData()

schema_info = Table("schema_info", metadata,
                    Column("key", String(32), primary_key=True), Column("value", String(64), nullable=False))

queries = Table(
    "queries", metadata,
    Column("id", Integer, primary_key=True),
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("session", String(64), nullable=False, default=""),
    Column("kind", String(8), nullable=False),  # search | suggest
    Column("lang", String(2), nullable=False),
    Column("query", Text, nullable=False),  # redacted
    Column("answered", Boolean, nullable=False, index=True),
    Column("fallback", Boolean, nullable=False, default=False),  # top result in another language
    Column("results", Text, nullable=False, default="[]"),  # JSON [[slug, lang], …] of the top results
    Column("confidence", Float, nullable=False, default=0.0),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("session", String(64), nullable=False, default=""),
    Column("type", String(32), nullable=False, index=True),
    Column("lang", String(2), nullable=False, default=""),
    Column("slug", String(120), nullable=False, default=""),
    Column("query", Text, nullable=False, default=""),  # redacted
    Column("data", Text, nullable=False, default="{}"),
)

tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(32), nullable=False, unique=True),  # stable id receivers de-duplicate on
    Column("number", String(16), nullable=False, unique=True),  # digits; shown as #482913
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    Column("session", String(64), nullable=False, default=""),
    Column("visit", String(64), nullable=False, server_default=""),  # the ticket form's page load
    Column("lang", String(2), nullable=False),
    Column("category", String(40), nullable=False),
    Column("subject", Text, nullable=False),  # masked: `content.redact.mask_for_ticket`
    Column("description", Text, nullable=False),
    Column("email", String(320), nullable=False),  # needed to answer the player
    Column("status", String(16), nullable=False, default="received"),  # received|in_progress|answered|closed
    Column("suggested", Text, nullable=False, default="[]"),  # slugs shown beside the form
)

# The help desk's replies, as the status API reports them.
ticket_replies = Table(
    "ticket_replies", metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, nullable=False, index=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),
)

# What is to be sent where (`insights.outbox`): stored with the ticket, sent off the request path.
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, nullable=False, index=True),
    Column("destination", String(16), nullable=False),  # support_email | player_email | webhook
    Column("kind", String(16), nullable=False),  # ticket | reply
    Column("ref", Integer, nullable=False, server_default="0"),  # the reply sent (kind reply)
    Column("state", String(12), nullable=False, index=True),  # pending | sending | delivered | dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_at", DateTime(timezone=True), nullable=False),  # pending: not before; sending: lease end
    Column("last_error", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("ticket_id", "destination", "kind", "ref"),
)

gap_groups = Table(
    "gap_groups", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(24), nullable=False),  # missing_content | missing_translation | unhelpful_article
    Column("status", String(16), nullable=False, default="open"),  # open | resolved | dismissed
    Column("label", Text, nullable=False, default=""),
    Column("centroid", LargeBinary, nullable=True),
    Column("resolved_slug", String(120), nullable=True),
    Column("status_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Which gap group each unanswered query was put in by the last regrouping (`insights.gaps.regroup`).
gap_members = Table(
    "gap_members", metadata,
    Column("query_id", Integer, primary_key=True),  # queries.id
    Column("group_id", Integer, nullable=False, index=True),  # gap_groups.id
)

gap_runs = Table(
    "gap_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("ran_at", DateTime(timezone=True), nullable=False),
    Column("queries", Integer, nullable=False),  # unanswered queries grouped
    Column("groups", Integer, nullable=False),
)

editors = Table(
    "editors", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # raised at logout: every session cookie carrying an older one is refused
    Column("session_epoch", Integer, nullable=False, server_default="0"),
)

# Failed logins, counted per (address, account) and per address: keys are hashes, never the address.
login_failures = Table(
    "login_failures", metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything in this service is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def engine_for(url: str) -> Engine:
    """An engine for a KB_DATABASE_URL; plain postgresql:// URLs use psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    # a server that does not answer fails a connection in seconds, not the operating system's minutes
    connect_args = {"connect_timeout": 5} if url.startswith("postgresql+psycopg://") else {}
    try:
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except Exception as exc:  # bad URL or missing driver
        raise ConfigError(f"KB_DATABASE_URL {url!r} cannot be used: {exc}") from exc
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
    return engine


# Each migration takes a connection and brings the schema from version i to i+1.
def _to_3(conn) -> None:
    metadata.create_all(conn, tables=[login_failures])
    conn.execute(text("ALTER TABLE editors ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0"))
    conn.execute(text("ALTER TABLE editors DROP COLUMN failed_logins"))
    conn.execute(text("ALTER TABLE editors DROP COLUMN last_failed_at"))


def _to_4(conn) -> None:
    import uuid

    for column in ("uid VARCHAR(32)", "updated_at TIMESTAMP", "visit VARCHAR(64) NOT NULL DEFAULT ''"):
        conn.execute(text(f"ALTER TABLE tickets ADD COLUMN {column}"))
    for (ticket_id,) in conn.execute(text("SELECT id FROM tickets")).fetchall():
        conn.execute(text("UPDATE tickets SET uid = :uid WHERE id = :id"), {"uid": uuid.uuid4().hex, "id": ticket_id})
    conn.execute(text("UPDATE tickets SET number = substr(number, 2) WHERE number LIKE '#%'"))
    conn.execute(text("UPDATE tickets SET status = 'received' WHERE status = 'open'"))
    conn.execute(text("CREATE UNIQUE INDEX ix_tickets_uid ON tickets (uid)"))
    metadata.create_all(conn, tables=[ticket_replies, outbox])


MIGRATIONS: list = [
    lambda conn: metadata.create_all(conn, tables=[gap_members, gap_runs]),  # 1 -> 2
    _to_3,  # 2 -> 3
    _to_4,  # 3 -> 4
]


def migrate(engine: Engine, attempts: int = 10) -> int:
    """Create the schema if missing, apply pending migrations, record the version; returns it.

    Several workers start at once on a fresh database: PostgreSQL serializes them with an advisory
    lock; on SQLite (transactional DDL) the loser of a race rolls back and finds the schema made.
    """
    for attempt in range(attempts):
        try:
            return _migrate(engine)
        except (OperationalError, ProgrammingError, IntegrityError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _migrate(engine: Engine) -> int:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(4815162342)"))
        metadata.create_all(conn, tables=[schema_info])
        row = conn.execute(select(schema_info.c.value).where(schema_info.c.key == "version")).first()
        version = int(row[0]) if row else 0
        if version == 0:
            metadata.create_all(conn)
            version = SCHEMA_VERSION
            conn.execute(insert(schema_info).values(key="version", value=str(version)))
        while version < SCHEMA_VERSION:
            MIGRATIONS[version - 1](conn)
            version += 1
            conn.execute(update(schema_info).where(schema_info.c.key == "version").values(value=str(version)))
        if version > SCHEMA_VERSION:
            raise ConfigError(f"database schema version {version} is newer than this code ({SCHEMA_VERSION})")
    return version


class Database:
    """The service's database: its engine, the schema brought up to date, and the few generic reads and writes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = engine_for(url)
        try:
            self.schema_version = migrate(self.engine)
        except ConfigError:
            raise
        except Exception as exc:
            raise ConfigError(f"cannot open database {self.engine.url.render_as_string(hide_password=True)}: "
                              f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}") from exc

    # -- writes ---------------------------------------------------------------------------------------

    def write_batch(self, rows: Sequence[tuple[str, dict]]) -> None:
        """Insert rows given as (table name, values) in one transaction."""
        by_table: dict[str, list[dict]] = {}
        for table, values in rows:
            by_table.setdefault(table, []).append(values)
        with self.engine.begin() as conn:
            for table, values in by_table.items():
                conn.execute(insert(metadata.tables[table]), values)

    def prune(self, days: int, ticket_days: int | None = None) -> dict[str, int]:
        """Delete query logs and events older than `days`, and tickets older than `ticket_days` (not
        given: none); returns the counts removed."""
        cutoff = now() - dt.timedelta(days=days)
        with self.engine.begin() as conn:
            q = conn.execute(delete(queries).where(queries.c.ts < cutoff)).rowcount
            e = conn.execute(delete(events).where(events.c.ts < cutoff)).rowcount
            conn.execute(delete(gap_members).where(gap_members.c.query_id.not_in(select(queries.c.id))))
            t = 0
            if ticket_days is not None:
                t = conn.execute(delete(tickets).where(tickets.c.ts < now() - dt.timedelta(days=ticket_days))).rowcount
        return {"queries": q, "events": e, "tickets": t}

    # -- reads ----------------------------------------------------------------------------------------

    def rows(self, statement) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(statement)]

    def ping(self) -> str:
        """"" when the database answers, else what is wrong (readiness checks)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            return f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return ""

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
