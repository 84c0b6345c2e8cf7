"""Alembic migrations of the service's database: the one way its schema changes (`kb db upgrade`).

`versions/` holds one file per revision, written by hand (`alembic revision` with
`script_location = helpcenter/insights/migrations` and `sqlalchemy.url` set drafts one from
`script.py.mako`, and `--autogenerate` compares against `helpcenter.insights.db.metadata`). A revision's
tables are its own frozen copies, never the live `metadata`, which moves on with the code.
`tests/test_migrations.py` checks that a database brought to the head matches `metadata` exactly.
"""
