"""Baseline: the schema as version 4 of the code before Alembic made it, and the way there from older ones.

Revision ID: 0001
Revises:
Create Date: 2026-12-02

Databases from before Alembic recorded their version in `schema_info` (1 to 4). This revision meets
each where it is: an empty database gets the version 4 tables as `metadata.create_all` made them (the
same DDL, from the frozen copies below); a database at version 1, 2 or 3 is brought to 4 by the steps
that code ran; a database at 4 is left as it is. Alembic then records revision 0001 in
`alembic_version`, and later revisions start from there.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
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
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEGACY_VERSION = 4  # what `schema_info` says of a database this revision made or reached

v4 = MetaData()

schema_info = Table("schema_info", v4,
                    Column("key", String(32), primary_key=True), Column("value", String(64), nullable=False))

Table(
    "queries", v4,
    Column("id", Integer, primary_key=True),
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("session", String(64), nullable=False, default=""),
    Column("kind", String(8), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("query", Text, nullable=False),
    Column("answered", Boolean, nullable=False, index=True),
    Column("fallback", Boolean, nullable=False, default=False),
    Column("results", Text, nullable=False, default="[]"),
    Column("confidence", Float, nullable=False, default=0.0),
)

Table(
    "events", v4,
    Column("id", Integer, primary_key=True),
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("session", String(64), nullable=False, default=""),
    Column("type", String(32), nullable=False, index=True),
    Column("lang", String(2), nullable=False, default=""),
    Column("slug", String(120), nullable=False, default=""),
    Column("query", Text, nullable=False, default=""),
    Column("data", Text, nullable=False, default="{}"),
)

Table(
    "tickets", v4,
    Column("id", Integer, primary_key=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("number", String(16), nullable=False, unique=True),
    Column("ts", DateTime(timezone=True), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    Column("session", String(64), nullable=False, default=""),
    Column("visit", String(64), nullable=False, server_default=""),
    Column("lang", String(2), nullable=False),
    Column("category", String(40), nullable=False),
    Column("subject", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("email", String(320), nullable=False),
    Column("status", String(16), nullable=False, default="received"),
    Column("suggested", Text, nullable=False, default="[]"),
)

ticket_replies = Table(
    "ticket_replies", v4,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, nullable=False, index=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),
)

outbox = Table(
    "outbox", v4,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, nullable=False, index=True),
    Column("destination", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("ref", Integer, nullable=False, server_default="0"),
    Column("state", String(12), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("ticket_id", "destination", "kind", "ref"),
)

Table(
    "gap_groups", v4,
    Column("id", Integer, primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("status", String(16), nullable=False, default="open"),
    Column("label", Text, nullable=False, default=""),
    Column("centroid", LargeBinary, nullable=True),
    Column("resolved_slug", String(120), nullable=True),
    Column("status_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

gap_members = Table(
    "gap_members", v4,
    Column("query_id", Integer, primary_key=True),
    Column("group_id", Integer, nullable=False, index=True),
)

gap_runs = Table(
    "gap_runs", v4,
    Column("id", Integer, primary_key=True),
    Column("ran_at", DateTime(timezone=True), nullable=False),
    Column("queries", Integer, nullable=False),
    Column("groups", Integer, nullable=False),
)

Table(
    "editors", v4,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("session_epoch", Integer, nullable=False, server_default="0"),
)

login_failures = Table(
    "login_failures", v4,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
)


# The steps the code before Alembic ran, each from version i to i+1 (kept as they were: databases
# of every older version are still out there).
def _to_2(conn) -> None:
    v4.create_all(conn, tables=[gap_members, gap_runs])


def _to_3(conn) -> None:
    v4.create_all(conn, tables=[login_failures])
    conn.execute(sa.text("ALTER TABLE editors ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0"))
    conn.execute(sa.text("ALTER TABLE editors DROP COLUMN failed_logins"))
    conn.execute(sa.text("ALTER TABLE editors DROP COLUMN last_failed_at"))


def _to_4(conn) -> None:
    for column in ("uid VARCHAR(32)", "updated_at TIMESTAMP", "visit VARCHAR(64) NOT NULL DEFAULT ''"):
        conn.execute(sa.text(f"ALTER TABLE tickets ADD COLUMN {column}"))
    for (ticket_id,) in conn.execute(sa.text("SELECT id FROM tickets")).fetchall():
        conn.execute(sa.text("UPDATE tickets SET uid = :uid WHERE id = :id"),
                     {"uid": uuid.uuid4().hex, "id": ticket_id})
    conn.execute(sa.text("UPDATE tickets SET number = substr(number, 2) WHERE number LIKE '#%'"))
    conn.execute(sa.text("UPDATE tickets SET status = 'received' WHERE status = 'open'"))
    conn.execute(sa.text("CREATE UNIQUE INDEX ix_tickets_uid ON tickets (uid)"))
    v4.create_all(conn, tables=[ticket_replies, outbox])


LEGACY_STEPS = {1: _to_2, 2: _to_3, 3: _to_4}


def legacy_version(conn) -> int:
    """The version `schema_info` records (0: none, as in an empty database)."""
    if not sa.inspect(conn).has_table("schema_info"):
        return 0
    row = conn.execute(sa.select(schema_info.c.value).where(schema_info.c.key == "version")).first()
    return int(row[0]) if row else 0


def upgrade() -> None:
    conn = op.get_bind()
    version = legacy_version(conn)
    if version > LEGACY_VERSION:
        raise RuntimeError(f"schema_info says version {version}, which no code ever wrote")
    if version == 0:
        # checkfirst: the tables a start cut short before recording its version made are kept, as before
        v4.create_all(conn)
        conn.execute(sa.delete(schema_info).where(schema_info.c.key == "version"))
        conn.execute(sa.insert(schema_info).values(key="version", value=str(LEGACY_VERSION)))
        return
    while version < LEGACY_VERSION:
        LEGACY_STEPS[version](conn)
        version += 1
        conn.execute(sa.update(schema_info).where(schema_info.c.key == "version").values(value=str(version)))


def downgrade() -> None:
    raise NotImplementedError("the baseline is the oldest revision: there is nothing to go down to")
