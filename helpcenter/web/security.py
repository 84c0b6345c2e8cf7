"""Secret key shared by every worker, CSRF tokens for every form, security headers."""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, abort, request, session
from flask.sessions import SecureCookieSessionInterface

from helpcenter.content.errors import ConfigError

log = logging.getLogger(__name__)


def secret_key(configured: str, index_dir: str) -> str:
    """The configured KB_SECRET_KEY, else one generated once and kept beside the index (0600),
    so every worker and replica sharing that directory signs sessions alike."""
    if configured:
        return configured
    path = Path(index_dir).parent / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written in full under a private name, then linked into place: workers starting together
        # never read a created but still empty file (they did, and served pages with no key).
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker won the race; read its key below
        finally:
            tmp.unlink()
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ConfigError(f"{path} is empty; delete it (a new key is generated) or set KB_SECRET_KEY")
    return key


def csrf_token() -> str:
    """This session's CSRF token (templates: `{{ csrf_token() }}` in a hidden `csrf_token` field)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok() -> bool:
    """Whether the form (or X-CSRF-Token header) carries this session's token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def check_csrf() -> None:
    """Abort 400 unless the form (or X-CSRF-Token header) carries this session's token."""
    if not csrf_ok():
        abort(400, description="the form expired or did not come from this site (CSRF token missing or wrong); "
                               "reload the page and try again")


# The site has no inline script or style: everything comes from its own files.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over https (directly,
    or through `KB_PROXY_HOPS` proxies that say so in X-Forwarded-Proto)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    app.secret_key = secret_key(app.config.get("KB_SECRET_KEY", ""), app.config["KB_INDEX_DIR"])
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.session_interface = SessionCookies()
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "DENY")
            resp.headers.setdefault("Content-Security-Policy", CSP)
        if request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp
