"""What each worker process holds for the app: the live searcher, the database, the log writer and
the ticket deliverer."""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Callable

from flask import Flask, current_app

from helpcenter.index.encoders import share_query_embeddings
from helpcenter.insights.db import Database
from helpcenter.insights.delivery import Deliverer, Delivery
from helpcenter.insights.logwriter import BatchWriter
from helpcenter.insights.records import event_row, query_row
from helpcenter.search.live import SearcherHolder
from helpcenter.search.searcher import Searcher, SearchResponse
from helpcenter.web import metrics
from helpcenter.web.shapes import article_url

log = logging.getLogger(__name__)


def get_searcher() -> Searcher:
    return current_app.extensions["kb_searcher"].get()


def database() -> Database:
    return current_app.extensions["kb_db"]


def writer() -> BatchWriter:
    return current_app.extensions["kb_writer"]


def deliverer() -> Deliverer:
    return current_app.extensions["kb_deliverer"]


class RefreshedCounts:
    """Counts the database makes (`count(db)`), kept by each worker per database and made again every
    `refresh` seconds; when the database cannot answer, the last counts (none at first) serve for `retry`
    seconds more: a page renders without its database, only without the counts."""

    def __init__(self, what: str, count: Callable[[Database], Counter], refresh: float, retry: float) -> None:
        self.what, self.count, self.refresh, self.retry = what, count, refresh, retry
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, Counter]] = {}  # database url -> (monotonic time due, counts)

    def get(self, db: Database) -> Counter:
        with self._lock:
            due, counts = self._kept.get(db.url, (-1e9, Counter()))
        if time.monotonic() < due:
            return counts
        try:
            counts, due = self.count(db), time.monotonic() + self.refresh
        except Exception as exc:
            log.warning("%s unavailable (%s)", self.what, exc.__class__.__name__)
            due = time.monotonic() + self.retry
        with self._lock:
            self._kept[db.url] = (due, counts)
        return counts

    def forget(self) -> None:
        """Count again at the next `get`."""
        with self._lock:
            self._kept.clear()


def log_query(resp: SearchResponse, kind: str, session: str) -> None:
    """Queue one query log row (redacted: `insights.records`)."""
    writer().put("queries", query_row(resp, kind, session))
    metrics.count_query(resp)


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
    db = Database(app.config["KB_DATABASE_URL"], app.config["KB_DB_AUTO_UPGRADE"])
    app.extensions["kb_db"] = db
    app.extensions["kb_writer"] = BatchWriter(db, interval=float(app.config.get("LOG_FLUSH_SECONDS", 0.5)))
    metrics.watch_writer(app.extensions["kb_writer"])
    delivery = Delivery.from_settings(app.config, app.secret_key)
    app.extensions["kb_delivery"] = delivery
    app.extensions["kb_deliverer"] = Deliverer(db, delivery, shown_articles(holder, delivery.public_url)).start()


def shown_articles(holder: SearcherHolder, public_url: str):
    """(title, absolute url) of articles by slug, as a reader of `lang` sees them (for the support mail)."""
    def lookup(slugs, lang: str) -> list[tuple[str, str]]:
        searcher = holder.get()
        out = []
        for slug in slugs:
            if slug in searcher.langs_by_slug:
                shown = searcher.display_lang(slug, lang)
                title = searcher.index.articles[f"{shown}/{slug}"].title
                out.append((title, f"{public_url.rstrip('/')}{article_url(lang, slug)}"))
        return out
    return lookup


def close_app(app: Flask) -> None:
    """Stop delivering, flush queued log rows and release database connections (tests, worker shutdown)."""
    app.extensions["kb_deliverer"].stop()
    app.extensions["kb_writer"].close()
    app.extensions["kb_db"].dispose()
