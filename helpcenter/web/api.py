"""The JSON API (README, "HTTP API"): search, suggest, events, health and readiness."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import Forbidden, NotFound, TooManyRequests

from helpcenter.content.errors import QueryError
from helpcenter.insights.delivery import signature_ok
from helpcenter.insights.records import EVENT_TYPES
from helpcenter.insights.tickets import find as find_ticket
from helpcenter.insights.tickets import report_status
from helpcenter.languages import LANGS
from helpcenter.search.plan import validate
from helpcenter.web.inputs import clean_id, session_id
from helpcenter.web.ratelimit import client, encoder_allowance
from helpcenter.web.services import database, deliverer, get_searcher, log_event, log_query, writer
from helpcenter.web.shapes import response_json

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__)

SEARCH_LIMIT, SUGGEST_LIMIT = 10, 5
VOTES = ("article_helpful", "article_not_helpful")
SOURCES = ("search_box", "contact_form", "widget", "article", "telegram", "kakao")  # where an event comes from
READY_CHECK_EVERY = 2.0  # seconds a readiness answer about the database is reused


def _body() -> dict:
    """The request's JSON object (navigator.sendBeacon posts it as text/plain)."""
    body = request.get_json(force=True)  # a body over MAX_CONTENT_LENGTH raises 413 here
    if not isinstance(body, dict):
        raise QueryError("body must be a JSON object")
    return body


@bp.get("/api/search")
def search():
    q, lang, limit = validate(request.args.get("q"), request.args.get("lang"), request.args.get("limit"),
                              SEARCH_LIMIT)
    resp = get_searcher().search(q, lang, limit, allow_encoder=encoder_allowance())
    log_query(resp, "search", session_id())
    return jsonify(response_json(resp))


@bp.route("/api/suggest", methods=["GET", "POST"])
def suggest():
    """As-you-type suggestions; POST takes the same parameters as a JSON body, so that what a player
    types into a ticket form never travels in a URL (proxies and access logs keep URLs)."""
    if request.method == "POST":
        params = _body()
        q, lang, limit, settled = params.get("q"), params.get("lang"), params.get("limit"), params.get("settled")
        for name, value in (("q", q), ("lang", lang)):
            if value is not None and not isinstance(value, str):
                raise QueryError(f"'{name}' must be a string")
        limit = _whole(limit)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, str))):
            raise QueryError("'limit' must be a whole number")
        if settled is not None and not isinstance(settled, bool):
            raise QueryError("'settled' must be true or false")
        sid = clean_id(params.get("sid") if isinstance(params.get("sid"), str) else None) or session_id()
    else:
        q, lang, limit = request.args.get("q"), request.args.get("lang"), request.args.get("limit")
        settled, sid = request.args.get("settled") in ("1", "true"), None
    raw = q
    q, lang, limit = validate(q, lang, limit, SUGGEST_LIMIT)
    # Called on every keystroke (the raw text: a trailing space says the last word is finished); once
    # the reader settles (Enter, a pause of about 1.5 s, the ticket sent) it is ranked with the encoder
    # too, and logged.
    resp = get_searcher().suggest(raw, lang, limit, settled=bool(settled), allow_encoder=encoder_allowance())
    if settled:
        log_query(resp, "suggest", sid if sid is not None else session_id())
    return jsonify(response_json(resp))


def _whole(value):
    """A JSON number that is whole as an int (12.0 is 12; true is not a number); anything else as is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _event_data(body: dict) -> dict:
    """The extra fields an event may carry, checked; anything else is not kept."""
    known = get_searcher().langs_by_slug
    data: dict = {}
    if "slugs" in body:
        slugs = body["slugs"]
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            raise QueryError("'slugs' must be a list of article slugs")
        data["slugs"] = [s for s in slugs if s in known][:20]
    if "rank" in body:
        rank = _whole(body["rank"])
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= 50:
            raise QueryError("'rank' must be a whole number from 1 to 50")
        data["rank"] = rank
    if "deflected" in body:
        if not isinstance(body["deflected"], bool):
            raise QueryError("'deflected' must be true or false")
        data["deflected"] = body["deflected"]
    if "source" in body:
        if body["source"] not in SOURCES:
            raise QueryError(f"'source' must be one of {', '.join(SOURCES)}")
        data["source"] = body["source"]
    if "visit" in body:
        visit = clean_id(body["visit"]) if isinstance(body["visit"], str) else ""
        if not visit:
            raise QueryError("'visit' must be an id of letters, digits, - and _")
        data["visit"] = visit
    return data


@bp.post("/api/events")
def events():
    body = _body()
    kind = body.get("type")
    if kind not in EVENT_TYPES:
        raise QueryError(f"'type' must be one of {', '.join(EVENT_TYPES)}")
    fields = {}
    for name in ("session", "lang", "slug", "query"):
        value = body.get(name, "")
        if not isinstance(value, str):
            raise QueryError(f"'{name}' must be a string")
        fields[name] = value
    if fields["lang"] not in ("", *LANGS):
        raise QueryError(f"'lang' must be one of {', '.join(LANGS)}")
    if fields["slug"] and fields["slug"] not in get_searcher().langs_by_slug:
        raise QueryError(f"'slug': there is no article {fields['slug'][:120]!r}")
    if kind in VOTES:
        wait = current_app.extensions["kb_vote_limiter"].hit(client())
        if wait:
            raise TooManyRequests("too many votes from this address; try again later", retry_after=int(wait) + 1)
    log_event(kind, clean_id(fields["session"]) or session_id(), fields["lang"], fields["slug"], fields["query"],
              _event_data(body))
    return jsonify(status="ok"), 202


@bp.post("/api/tickets/<number>/status")
def ticket_status(number: str):
    """The help desk reports back: `{"status": "received"|"in_progress"|"answered"|"closed", "reply": "…"}`,
    signed like the webhook (`X-KB-Signature: sha256=<hex HMAC-SHA256 of the body>`). A reply reaches the
    player's page and their inbox."""
    delivery = current_app.extensions["kb_delivery"]
    if not signature_ok(delivery.webhook_secret, request.get_data(), request.headers.get("X-KB-Signature")):
        raise Forbidden("the X-KB-Signature header is missing or does not match the body signed with the "
                        "webhook secret")
    ticket = find_ticket(database(), number) if number.isdigit() and len(number) <= 16 else None
    if ticket is None:
        raise NotFound(f"there is no ticket #{number[:16]}")
    body = _body()
    status, reply = body.get("status", ticket.status), body.get("reply", "")
    if not isinstance(reply, str) or len(reply) > 20_000:
        raise QueryError("'reply' must be a string of at most 20000 characters")
    try:
        reply_id = report_status(database(), ticket, status, reply, notify=delivery.reply_destinations())
    except ValueError as exc:
        raise QueryError(f"'status': {exc}") from None
    deliverer().wake()
    return jsonify(number=ticket.number, status=status, reply=reply_id)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers and serves an index version."""
    searcher = get_searcher()
    return jsonify(status="ok", index=searcher.index.version)


@bp.get("/readyz")
def readyz():
    """Readiness: 200 when the index and the database can be used, else 503 saying which is not."""
    try:
        index = get_searcher().index.version
    except Exception as exc:  # no index, or none readable: index faults answer 503 here, never 500
        index, index_problem = None, f"{exc.__class__.__name__}: {exc}"
    else:
        index_problem = ""
    checked = current_app.extensions.setdefault("kb_ready", {"at": 0.0, "problem": ""})
    if time.monotonic() - checked["at"] > READY_CHECK_EVERY:
        checked.update(at=time.monotonic(), problem=database().ping())
    problems = {k: v for k, v in (("index", index_problem), ("database", checked["problem"])) if v}
    body = {"status": "unavailable" if problems else "ready", "index": index, "log_queue": writer().depth,
            **({"problems": problems} if problems else {})}
    return jsonify(body), 503 if problems else 200
