"""The JSON API (README, "HTTP API"): search, suggest, events, health."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request

from helpcenter.content.errors import QueryError
from helpcenter.insights.records import EVENT_TYPES
from helpcenter.search.plan import validate
from helpcenter.web.inputs import clean_id, session_id
from helpcenter.web.services import get_searcher, log_event, log_query
from helpcenter.web.shapes import response_json

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__)

SEARCH_LIMIT, SUGGEST_LIMIT = 10, 5


def _run(default_limit: int):
    q, lang, limit = validate(request.args.get("q"), request.args.get("lang"), request.args.get("limit"),
                              default_limit)
    return get_searcher().search(q, lang, limit)


@bp.get("/api/search")
def search():
    resp = _run(SEARCH_LIMIT)
    log_query(resp, "search", session_id())
    return jsonify(response_json(resp))


@bp.get("/api/suggest")
def suggest():
    # the raw `q`: a trailing space tells suggest that the last word is finished
    q, lang, limit = validate(request.args.get("q"), request.args.get("lang"), request.args.get("limit"),
                              SUGGEST_LIMIT)
    # Called on every keystroke; once the widget says the query is settled (Enter, a pause of about
    # 1.5 s, or the ticket form submitted) it is ranked with the encoder too, and logged.
    settled = request.args.get("settled") in ("1", "true")
    resp = get_searcher().suggest(request.args["q"], lang, limit, settled=settled)
    if settled:
        log_query(resp, "suggest", session_id())
    return jsonify(response_json(resp))


@bp.post("/api/events")
def events():
    # force: navigator.sendBeacon posts text/plain; a body over MAX_CONTENT_LENGTH raises 413 here
    body = request.get_json(force=True)
    if not isinstance(body, dict):
        raise QueryError("body must be a JSON object")
    kind = body.get("type")
    if kind not in EVENT_TYPES:
        raise QueryError(f"'type' must be one of {', '.join(EVENT_TYPES)}")
    fields = {}
    for name in ("session", "lang", "slug", "query"):
        value = body.get(name, "")
        if not isinstance(value, str):
            raise QueryError(f"'{name}' must be a string")
        fields[name] = value
    data = {k: v for k, v in body.items() if k not in ("type", "session", "lang", "slug", "query")}
    log_event(kind, clean_id(fields["session"]) or session_id(), fields["lang"], fields["slug"], fields["query"], data)
    return jsonify(status="ok"), 202


@bp.get("/healthz")
def healthz():
    searcher = get_searcher()
    return jsonify(status="ok", index=searcher.index.version)
