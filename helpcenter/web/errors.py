"""One error handler: JSON under /api/ (and /healthz), an HTML page elsewhere; never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template_string, request
from werkzeug.exceptions import HTTPException

from helpcenter.content.errors import IndexMismatch, IndexNotFound, QueryError

log = logging.getLogger(__name__)

_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>{{ code }} {{ name }}</title>
<body style="font-family:system-ui;margin:3rem"><h1>{{ code }} {{ name }}</h1><p>{{ message }}</p>
<p><a href="/">Help center home</a></p></body></html>"""


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _respond(code: int, name: str, message: str):
    if _wants_json():
        return jsonify(error=message), code
    return render_template_string(_PAGE, code=code, name=name, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(QueryError)
    def query_error(exc: QueryError):
        return _respond(400, "Bad Request", str(exc))

    @app.errorhandler(IndexNotFound)
    @app.errorhandler(IndexMismatch)
    def index_unavailable(exc):
        log.error("index unavailable: %s", exc)
        return _respond(503, "Service Unavailable", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        resp = make_response(_respond(exc.code or 500, exc.name, exc.description or exc.name))
        for name, value in exc.get_headers():  # the exception's own: Allow on 405, Retry-After on 429
            if name.lower() != "content-type":
                resp.headers[name] = value
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return _respond(500, "Internal Server Error", "something went wrong on our side")
