"""The JSON API of CONTRACT.md section 4: search, suggest, events, health."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request

from search.engine import response_json, validate
from web.searching import get_searcher

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__)

SEARCH_LIMIT, SUGGEST_LIMIT = 10, 5


def _run(default_limit: int):
    q, lang, limit = validate(request.args.get("q"), request.args.get("lang"), request.args.get("limit"),
                              default_limit)
    return get_searcher().search(q, lang, limit)


@bp.get("/api/search")
def search():
    return jsonify(response_json(_run(SEARCH_LIMIT)))


@bp.get("/api/suggest")
def suggest():
    return jsonify(response_json(_run(SUGGEST_LIMIT)))


@bp.get("/healthz")
def healthz():
    searcher = get_searcher()
    return jsonify(status="ok", index=searcher.index.version)
