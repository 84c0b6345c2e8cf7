"""Secret key shared by every worker, CSRF tokens for every form, security headers."""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, abort, request, session

log = logging.getLogger(__name__)


def secret_key(configured: str, index_dir: str) -> str:
    """The configured KB_SECRET_KEY, else one generated once and kept beside the index (0600),
    so every worker and replica sharing that directory signs sessions alike."""
    if configured:
        return configured
    path = Path(index_dir).parent / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker won the race; read its key below
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def csrf_token() -> str:
    """This session's CSRF token (templates: `{{ csrf_token() }}` in a hidden `csrf_token` field)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Abort 400 unless the form (or X-CSRF-Token header) carries this session's token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="the form expired or did not come from this site (CSRF token missing or wrong); "
                               "reload the page and try again")


def init_app(app: Flask) -> None:
    app.secret_key = secret_key(app.config.get("KB_SECRET_KEY", ""), app.config["KB_INDEX_DIR"])
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp
