"""`/api/openapi.json`: an OpenAPI 3.1 description of the JSON API, built from the same constants it validates with."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import Blueprint, jsonify

from helpcenter.content.errors import KBError
from helpcenter.insights.records import EVENT_TYPES
from helpcenter.languages import DEFAULT, LANGS
from helpcenter.search.plan import MAX_LIMIT, MAX_QUERY_CHARS
from helpcenter.web.api import SEARCH_LIMIT, SOURCES, SUGGEST_LIMIT
from helpcenter.web.services import get_searcher

log = logging.getLogger(__name__)

bp = Blueprint("openapi", __name__)

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


def _query_operation(summary: str, description: str, default_limit: int, extra: Sequence[dict] = ()) -> dict:
    return {
        "summary": summary,
        "description": description,
        "parameters": [
            {"name": "q", "in": "query", "required": True, "description": "The reader's text, as typed.",
             "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                        # a character that is neither blank nor a control character (dropped on arrival)
                        "pattern": r"[^\s\u0000-\u001f\u007f-\u009f]"}},
            {"name": "lang", "in": "query", "required": False, "description": "The reader's language.",
             "schema": {"type": "string", "enum": list(LANGS), "default": DEFAULT.code}},
            {"name": "limit", "in": "query", "required": False, "description": "The most results to return.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default_limit}},
            {"name": "sid", "in": "query", "required": False,
             "description": "Anonymous session id (also accepted as the X-KB-Session header).",
             "schema": {"type": "string", "maxLength": 64}},
            *extra,
        ],
        "responses": {
            "200": {"description": "Ranked results; `answered` is false when nothing answers the query.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
            "400": _error("Missing or empty `q`, `q` too long, unknown `lang` or bad `limit`."),
            "503": _error("No index has been built or it does not match this server; run `kb build`."),
        },
    }


def spec(slugs: Sequence[str] = ()) -> dict:
    """The OpenAPI document (the test checks it against the routes and the validation); `slugs`: the
    articles of the index served, which events may name."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help-center search API", "version": "1",
                 "description": "Multilingual (en/ko/fa) search of the players' help center."},
        "paths": {
            "/api/search": {"get": _query_operation(
                "Search the knowledge base", "Hybrid keyword and vector search with no-answer detection.",
                SEARCH_LIMIT)},
            "/api/suggest": {
                "get": _query_operation(
                    "Suggestions as the reader types",
                    "Called on every keystroke with partial words; logged only when `settled` is set.",
                    SUGGEST_LIMIT,
                    [{"name": "settled", "in": "query", "required": False,
                      "description": "1 once the reader paused or pressed Enter: the query is logged once.",
                      "schema": {"type": "string", "enum": ["1", "true"]}}]),
                "post": {
                    "summary": "Suggestions as the reader types, the text in the body",
                    "description": "The GET form's parameters as a JSON object, so that what a player types "
                                   "into a ticket form stays out of URLs.",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/SuggestRequest"}}}},
                    "responses": {
                        "200": {"description": "Ranked results, as GET answers them.",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/SearchResponse"}}}},
                        "400": _error("Not a JSON object, missing or empty `q`, `q` too long, unknown `lang`, "
                                      "bad `limit` or `settled`."),
                        "503": _error("No index has been built or it does not match this server; run `kb build`."),
                    },
                },
            },
            "/api/events": {"post": {
                "summary": "Record a site or widget event",
                "requestBody": {"required": True, "description": "Also accepted as text/plain (sendBeacon).",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                "responses": {
                    "202": {"description": "Stored (asynchronously).",
                            "content": {"application/json": {"schema": {
                                "type": "object", "properties": {"status": {"const": "ok"}}}}}},
                    "400": _error("Not a JSON object, unknown `type`, or a field of the wrong type."),
                    "413": _error("The body is over 64 KiB."),
                    "429": _error("Too many helpful / not helpful votes from this address (they make the "
                                  "\"N of M found this helpful\" count); `Retry-After` says when to try again."),
                },
            }},
            "/api/tickets/{number}/status": {"post": {
                "summary": "The help desk reports a ticket's status and a reply",
                "description": "Signed like the ticket webhook: `X-KB-Signature: sha256=<hex HMAC-SHA256 of the "
                               "body with KB_TICKET_WEBHOOK_SECRET>`. A reply reaches the player's page and inbox.",
                "parameters": [
                    {"name": "number", "in": "path", "required": True, "description": "The ticket number's digits.",
                     "schema": {"type": "string", "pattern": "^[0-9]{1,16}$"}},
                    {"name": "X-KB-Signature", "in": "header", "required": True,
                     "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {
                        "status": {"type": "string", "enum": ["received", "in_progress", "answered", "closed"]},
                        "reply": {"type": "string", "maxLength": 20000}}}}}},
                "responses": {
                    "200": {"description": "Recorded.", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["number", "status"],
                        "properties": {"number": {"type": "string"}, "status": {"type": "string"},
                                       "reply": {"type": ["integer", "null"]}}}}}},
                    "400": _error("Not a JSON object, an unknown status or a reply that is not a string."),
                    "403": _error("The signature is missing or wrong, or no webhook secret is configured."),
                    "404": _error("No ticket has this number."),
                },
            }},
            "/readyz": {"get": {
                "summary": "Readiness: whether the index and the database can be used",
                "responses": {
                    "200": {"description": "Ready.", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Readiness"}}}},
                    "503": {"description": "The index or the database cannot be used; `problems` says why.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
                },
            }},
            "/healthz": {"get": {
                "summary": "Health check (liveness)",
                "responses": {
                    "200": {"description": "The index is loaded.", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["status", "index"],
                        "properties": {"status": {"const": "ok"}, "index": {"type": "string"}}}}}},
                    "503": _error("No index is loaded."),
                },
            }},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Result": {
                "type": "object",
                "required": ["slug", "lang", "title", "url", "snippet", "score"],
                "properties": {
                    "slug": {"type": "string"},
                    "lang": {"type": "string", "enum": list(LANGS),
                             "description": "The result's own language; differs from the reader's when untranslated."},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "snippet": {"type": "string"},
                    "score": {"type": "number"},
                    "section": {"type": "string"},
                    "anchor": {"type": "string"},
                    "section_url": {"type": "string"},
                    "highlights": {"type": "array", "description": "Character spans of matched words in `snippet`.",
                                   "items": {"type": "array", "items": {"type": "integer"},
                                             "minItems": 2, "maxItems": 2}},
                    "fallback": {"type": "boolean"},
                },
            },
            "SearchResponse": {
                "type": "object",
                "required": ["query", "lang", "answered", "answer", "results"],
                "properties": {
                    "query": {"type": "string"},
                    "lang": {"type": "string", "enum": list(LANGS)},
                    "answered": {"type": "boolean"},
                    "answer": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Answer"}],
                               "description": "The passage that answers the query, when the knowledge base "
                                              "answers it confidently; else null."},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
                },
            },
            "Answer": {
                "type": "object", "required": ["slug", "lang", "title", "section", "url", "text"],
                "properties": {"slug": {"type": "string"}, "lang": {"type": "string", "enum": list(LANGS)},
                               "title": {"type": "string"}, "section": {"type": "string"},
                               "url": {"type": "string"},
                               "text": {"type": "string", "maxLength": 600,
                                        "description": "Plain text: a few sentences or the steps."}},
            },
            "SuggestRequest": {
                "type": "object",
                "required": ["q"],
                "properties": {
                    "q": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                          "pattern": r"[^\s\u0000-\u001f\u007f-\u009f]"},
                    "lang": {"type": "string", "enum": list(LANGS)},
                    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                    "settled": {"type": "boolean"},
                    "sid": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                },
            },
            "Event": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"type": "string", "enum": list(EVENT_TYPES)},
                    "session": {"type": "string"},
                    "lang": {"type": "string", "enum": ["", *LANGS]},
                    "slug": {"type": "string", "enum": ["", *slugs],
                             "description": "An article of the knowledge base (its slug), or empty."},
                    "query": {"type": "string"},
                    "slugs": {"type": "array", "items": {"type": "string"},
                              "description": "The articles shown (suggestion_shown); unknown ones are not kept."},
                    "rank": {"type": "integer", "minimum": 1, "maximum": 50},
                    "deflected": {"type": "boolean"},
                    "source": {"type": "string", "enum": list(SOURCES)},
                    "visit": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$",
                              "description": "One id per page load of the ticket form or the widget."},
                },
                "additionalProperties": True,
                "description": "Other fields are accepted and not kept.",
            },
            "Readiness": {
                "type": "object", "required": ["status", "index"],
                "properties": {"status": {"enum": ["ready", "unavailable"]},
                               "index": {"type": ["string", "null"]}, "log_queue": {"type": "integer"},
                               "problems": {"type": "object", "additionalProperties": {"type": "string"}}},
            },
        }},
    }


@bp.get("/api/openapi.json")
def document():
    try:
        slugs = sorted(get_searcher().langs_by_slug)
    except KBError:  # no index yet: the document still describes the API
        slugs = []
    return jsonify(spec(slugs))
