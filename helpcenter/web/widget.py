"""`/widget.js`, the embeddable suggestion box for any ticket form, and CORS for /api/* (KB_CORS_ORIGINS)."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app, render_template, request

from helpcenter.web.i18n import widget_strings

log = logging.getLogger(__name__)

bp = Blueprint("widget", __name__)

CORS_MAX_AGE = 86400


def _css() -> str:
    return current_app.jinja_env.loader.get_source(current_app.jinja_env, "widget.css")[0]


@bp.get("/widget.js")
def script():
    body = render_template("widget.js", strings=widget_strings(), css=_css())
    resp = Response(body, mimetype="text/javascript")
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.get("/widget.css")
def stylesheet():
    """The widget's styles as a file, for pages whose Content-Security-Policy refuses inline styles."""
    resp = Response(_css(), mimetype="text/css")
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def cors_origins(value: str) -> frozenset[str]:
    """The origins of a KB_CORS_ORIGINS value ("https://a.example, https://b.example", or "*")."""
    return frozenset(o.strip().rstrip("/") for o in (value or "").split(",") if o.strip())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.after_request
    def cors(resp: Response) -> Response:
        origin = request.headers.get("Origin", "")
        if not origin or not request.path.startswith("/api/"):
            return resp
        allowed = cors_origins(current_app.config.get("KB_CORS_ORIGINS", ""))
        if origin.rstrip("/") not in allowed and "*" not in allowed:
            return resp
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":  # preflight: Flask answers OPTIONS itself with the route's methods
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Content-Type, X-KB-Session"
            resp.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
        return resp
