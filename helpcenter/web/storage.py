"""The app's storage: one `Storage` and one `BatchWriter` per process, and the logging helpers."""
from __future__ import annotations

import json
import logging

from flask import Flask, current_app

from helpcenter.insights.db import BatchWriter, Storage, now
from helpcenter.insights.redact import redact
from helpcenter.search.searcher import SearchResponse

log = logging.getLogger(__name__)

EVENT_TYPES = ("suggestion_shown", "suggestion_clicked", "article_helpful", "article_not_helpful",
               "ticket_submitted", "ticket_abandoned")


def storage() -> Storage:
    return current_app.extensions["kb_storage"]


def writer() -> BatchWriter:
    return current_app.extensions["kb_writer"]


def log_query(resp: SearchResponse, kind: str, session: str) -> None:
    """Queue one query log row; the query text is redacted before it leaves this function."""
    writer().put("queries", {
        "ts": now(), "session": session[:64], "kind": kind, "lang": resp.lang, "query": redact(resp.query)[:500],
        "answered": resp.answered, "fallback": bool(resp.hits and resp.hits[0].fallback),
        "results": json.dumps([[h.slug, h.lang] for h in resp.hits[:5]]), "confidence": resp.confidence,
    })


def log_event(kind: str, session: str, lang: str = "", slug: str = "", query: str = "", data: dict | None = None) -> None:
    writer().put("events", {
        "ts": now(), "session": session[:64], "type": kind, "lang": lang[:2], "slug": slug[:120],
        "query": redact(query)[:500], "data": json.dumps(data or {}, ensure_ascii=False)[:4000],
    })


def init_app(app: Flask) -> None:
    store = Storage(app.config["KB_DATABASE_URL"])
    app.extensions["kb_storage"] = store
    app.extensions["kb_writer"] = BatchWriter(store, interval=float(app.config.get("LOG_FLUSH_SECONDS", 0.5)))


def close_app(app: Flask) -> None:
    """Flush queued log rows and release database connections (tests, and worker shutdown)."""
    app.extensions["kb_writer"].close()
    app.extensions["kb_storage"].dispose()
