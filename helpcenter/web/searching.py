"""The process's searcher for the Flask app (`search.live.SearcherHolder`, one per worker)."""
from __future__ import annotations

import logging

from flask import Flask, current_app

from helpcenter.index.encoders import share_query_embeddings
from helpcenter.search.live import SearcherHolder
from helpcenter.search.searcher import Searcher

log = logging.getLogger(__name__)


def get_searcher() -> Searcher:
    return current_app.extensions["kb_searcher"].get()


def init_app(app: Flask) -> None:
    share_query_embeddings(app.config["KB_QUERY_CACHE"])
    holder = SearcherHolder(app.config["KB_INDEX_DIR"], app.config["KB_ENCODER"])
    app.extensions["kb_searcher"] = holder
    try:
        holder.get()  # load at start-up, so the first reader does not pay for it
    except Exception as exc:  # the app still starts; /healthz and the API say what is wrong
        log.warning("index not loaded at start-up: %s", exc)
