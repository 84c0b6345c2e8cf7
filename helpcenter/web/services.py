"""What each worker process holds for the app: the live searcher, the database and the log writer."""
from __future__ import annotations

import logging

from flask import Flask, current_app

from helpcenter.index.encoders import share_query_embeddings
from helpcenter.insights.db import Database
from helpcenter.insights.logwriter import BatchWriter
from helpcenter.insights.records import event_row, query_row
from helpcenter.search.live import SearcherHolder
from helpcenter.search.searcher import Searcher, SearchResponse

log = logging.getLogger(__name__)


def get_searcher() -> Searcher:
    return current_app.extensions["kb_searcher"].get()


def database() -> Database:
    return current_app.extensions["kb_db"]


def writer() -> BatchWriter:
    return current_app.extensions["kb_writer"]


def log_query(resp: SearchResponse, kind: str, session: str) -> None:
    """Queue one query log row (redacted: `insights.records`)."""
    writer().put("queries", query_row(resp, kind, session))


def log_event(kind: str, session: str, lang: str = "", slug: str = "", query: str = "", data: dict | None = None) -> None:
    writer().put("events", event_row(kind, session, lang, slug, query, data))


def init_app(app: Flask) -> None:
    share_query_embeddings(app.config["KB_QUERY_CACHE"])
    holder = SearcherHolder(app.config["KB_INDEX_DIR"], app.config["KB_ENCODER"])
    app.extensions["kb_searcher"] = holder
    try:
        holder.get()  # load at start-up, so the first reader does not pay for it
    except Exception as exc:  # the app still starts; /healthz and the API say what is wrong
        log.warning("index not loaded at start-up: %s", exc)
    db = Database(app.config["KB_DATABASE_URL"])
    app.extensions["kb_db"] = db
    app.extensions["kb_writer"] = BatchWriter(db, interval=float(app.config.get("LOG_FLUSH_SECONDS", 0.5)))


def close_app(app: Flask) -> None:
    """Flush queued log rows and release database connections (tests, and worker shutdown)."""
    app.extensions["kb_writer"].close()
    app.extensions["kb_db"].dispose()
