"""The service's database (SQLAlchemy 2 Core): the schema of query logs, events, tickets, gap groups and
editor accounts, the engine, migrations.

SQLite (WAL) by default; `postgresql://` URLs use psycopg 3. The schema changes only through the Alembic
revisions in `insights/migrations/` (`kb db upgrade`, `upgrade`); opening a database checks that it is at
the head revision, and brings it there only where `KB_DB_AUTO_UPGRADE` allows (`check_schema`).
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
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
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from helpcenter.content.errors import ConfigError, describe

log = logging.getLogger(__name__)
# Alembic announces each plugin it loads and its SQL dialect at INFO, each time a process opens the
# database: noise in every worker's start-up log (`kb db upgrade` prints what it did itself)
for _name in ("alembic.runtime.plugins", "alembic.runtime.migration"):
    logging.getLogger(_name).setLevel(logging.WARNING)

# The last version `schema_info` recorded before Alembic (2: gap_members, gap_runs; 3: login_failures,
# editors.session_epoch; 4: ticket uid, visit, updated_at and digits-only numbers; ticket_replies, outbox).
# The baseline revision 0001 reproduces it; every change since is a revision in insights/migrations/.
SCHEMA_VERSION = 4
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
AUTO_UPGRADE = ("auto", "on", "off")  # KB_DB_AUTO_UPGRADE
# SQLite: how long one statement waits for another connection's lock (the driver's busy handler, from
# the connection's first statement on), and how long opening the database tries again when a lock
# still stops it (workers starting together on a fresh file, on a loaded machine)
SQLITE_BUSY_SECONDS = 10.0
SQLITE_OPEN_SECONDS = 60.0
# the current schema: what the code reads and writes; the head revision must create exactly this
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
    # a server that does not answer fails a connection in seconds, not the operating system's minutes;
    # SQLite's driver sets the busy wait (`sqlite3_busy_timeout`) from `timeout` as it connects
    connect_args = ({"connect_timeout": 5} if url.startswith("postgresql+psycopg://")
                    else {"timeout": SQLITE_BUSY_SECONDS} if url.startswith("sqlite") else {})
    try:
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except Exception as exc:  # bad URL or missing driver
        raise ConfigError(f"KB_DATABASE_URL {url!r} cannot be used: {exc}") from exc
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
    return engine


# --- the schema's revision (Alembic) ----------------------------------------------------------------

class SchemaOutdated(ConfigError):
    """The database's schema is not the one this code needs, and opening it may not change it."""


def alembic_config(connection=None):
    """Alembic's configuration for the revisions in `MIGRATIONS_DIR`; `connection`: run on this one."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this code's schema is at."""
    return _scripts().get_current_head()


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this code's head revision."""

    revision: str | None  # in `alembic_version`; None before Alembic and in an empty database
    legacy: int  # the version in `schema_info` (before Alembic), 0 when there is none
    empty: bool  # none of the service's tables exists
    head: str

    @property
    def current(self) -> bool:
        return self.revision == self.head

    @property
    def unknown(self) -> bool:
        """At a revision this code does not have: written by newer code."""
        if self.revision is None:
            return False
        try:
            return _scripts().get_revision(self.revision) is None
        except Exception:  # alembic's ResolutionError and kin
            return True

    def describe(self) -> str:
        if self.revision:
            return f"revision {self.revision}"
        if self.empty:
            return "no schema (an empty database)"
        return f"schema version {self.legacy or 'unknown'} from before `kb db upgrade` existed"


def schema_state(conn) -> SchemaState:
    from alembic.migration import MigrationContext

    inspector = inspect(conn)
    names = set(inspector.get_table_names())
    legacy = 0
    if "schema_info" in names:
        row = conn.execute(select(schema_info.c.value).where(schema_info.c.key == "version")).first()
        legacy = int(row[0]) if row and str(row[0]).isdigit() else 0
    revision = MigrationContext.configure(conn).get_current_revision() if "alembic_version" in names else None
    return SchemaState(revision, legacy, not names & set(metadata.tables), head_revision())


def _locked(exc: OperationalError) -> bool:
    """Whether SQLite refused for another connection's lock ("database is locked", "... busy")."""
    text_ = str(exc.orig).lower()
    return "locked" in text_ or "busy" in text_


def _url_text(target: Engine | str) -> str:
    return target.url.render_as_string(hide_password=False) if isinstance(target, Engine) else target


def _shown(target: Engine | str) -> str:
    """The database's URL without its password, for messages."""
    url = target.url if isinstance(target, Engine) else make_url(target)
    return url.render_as_string(hide_password=True)


def _migration_engine(url: str) -> Engine:
    """An engine whose transactions hold the database for the whole upgrade: on SQLite, `BEGIN IMMEDIATE`
    (the write lock at once, so DDL is transactional and a second process waits, then finds it done);
    PostgreSQL's DDL is transactional and `upgrade` takes an advisory lock."""
    engine = engine_for(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _own_transactions(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # the driver begins nothing itself

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


def _newer(state: SchemaState, target: Engine | str) -> SchemaOutdated:
    return SchemaOutdated(f"the database {_shown(target)} is at {state.describe()}, which this code does not "
                          f"know (its newest is {state.head}): it was upgraded by newer code; run that code")


def upgrade(target: Engine | str, attempts: int = 10) -> str:
    """Bring the schema to the head revision (`kb db upgrade`); returns it.

    One transaction and one process at a time: PostgreSQL serializes upgraders with an advisory lock,
    SQLite with its write lock; whoever comes second finds the work done. A failure leaves the schema
    as it was.
    """
    url = _url_text(target)
    engine = target if isinstance(target, Engine) and ":memory:" in url else _migration_engine(url)
    try:
        for attempt in range(attempts):
            try:
                with engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(4815162342)"))
                    state = schema_state(conn)
                    if state.unknown:
                        raise _newer(state, target)
                    if not state.current:
                        from alembic import command

                        if state.empty:
                            log.info("creating the database schema (revision %s) in %s", state.head, _shown(target))
                        else:
                            log.warning("upgrading the database schema of %s from %s to revision %s",
                                        _shown(target), state.describe(), state.head)
                        command.upgrade(alembic_config(conn), "head")
                    return state.head
            except (OperationalError, ProgrammingError, IntegrityError):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))
    finally:
        if engine is not target:
            engine.dispose()
    raise AssertionError("unreachable")


def check_schema(engine: Engine, auto_upgrade: str = "auto") -> str:
    """The head revision, once the database is at it; upgrades first where `auto_upgrade` allows.

    Args:
        auto_upgrade: `KB_DB_AUTO_UPGRADE`: "on" upgrades any database; "auto" creates the schema in an
            empty one and upgrades SQLite ones (one machine, its own file); "off" upgrades none.

    Raises:
        SchemaOutdated: naming `kb db upgrade`, when the schema is older and may not be upgraded here, or
            newer than this code.
    """
    with engine.connect() as conn:
        state = schema_state(conn)
    if state.current:
        return state.revision
    if state.unknown:
        raise _newer(state, engine)
    if auto_upgrade == "on" or (auto_upgrade == "auto" and (state.empty or engine.dialect.name == "sqlite")):
        return upgrade(engine)
    raise SchemaOutdated(
        f"the database {_shown(engine)} is at {state.describe()} but this code needs revision {state.head}: "
        "run `kb db upgrade` (with the same KB_DATABASE_URL) before starting it; or set "
        "KB_DB_AUTO_UPGRADE=on to let the server upgrade it as it starts")


def migrate(engine: Engine) -> str:
    """Bring the schema to the head revision (the name the code before Alembic gave it)."""
    return upgrade(engine)


class Database:
    """The service's database: its engine, the schema brought up to date, and the few generic reads and writes."""

    def __init__(self, url: str, auto_upgrade: str = "auto") -> None:
        """Open the database at `url`, checking its schema (`check_schema`; `auto_upgrade`: `KB_DB_AUTO_UPGRADE`).

        Raises:
            SchemaOutdated: when the schema is not this code's and may not be upgraded here.
            ConfigError: when the database cannot be reached or used.
        """
        self.url = url
        self.engine = engine_for(url)
        try:
            self.schema_revision = self._check_schema(auto_upgrade)
        except ConfigError:
            self.engine.dispose()
            raise
        except Exception as exc:
            self.engine.dispose()
            raise ConfigError(f"cannot open database {self.engine.url.render_as_string(hide_password=True)}: "
                              f"{describe(exc)}") from exc

    def _check_schema(self, auto_upgrade: str) -> str:
        """`check_schema`; on SQLite, tried again while another connection's lock stops it, for up to
        `SQLITE_OPEN_SECONDS`: workers opening a fresh file together each switch it to WAL and look at
        its schema while the first creates it, and on a loaded machine a lock can outlast one wait."""
        deadline = time.monotonic() + SQLITE_OPEN_SECONDS
        for attempt in itertools.count():
            try:
                return check_schema(self.engine, auto_upgrade)
            except OperationalError as exc:
                if (self.engine.dialect.name != "sqlite" or not _locked(exc)
                        or time.monotonic() >= deadline):
                    raise
                if attempt == 0:
                    log.info("the database %s is locked by another connection; waiting for it", _shown(self.engine))
                self.engine.dispose()  # a fresh connection runs its pragmas again
                time.sleep(0.2)

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
            return describe(exc)
        return ""

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
