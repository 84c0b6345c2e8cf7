"""Alembic's environment: runs the migrations on the connection `helpcenter.insights.db.upgrade` hands
over (inside its transaction and lock), or, from Alembic's own command line, on `sqlalchemy.url`."""
from __future__ import annotations

from alembic import context

from helpcenter.insights.db import engine_for, metadata

config = context.config


def run(connection) -> None:
    # render_as_batch: SQLite alters a table by copying it; autogenerate writes such steps as batches
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():  # no-op inside the caller's transaction
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run `kb db upgrade` against the database")
connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_for(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as conn:
            run(conn)
    finally:
        engine.dispose()
