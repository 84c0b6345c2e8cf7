"""Web stage: the Flask app factory (site, API, admin) over the search stage."""
from __future__ import annotations

import logging

from flask import Flask

from helpcenter.content.settings import load_settings

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: declared defaults, the instance file and KB_* environment, then `test_config`.

    Args:
        test_config: settings that win over everything (tests use it to point at a temporary index).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_settings({k: str(v) for k, v in (test_config or {}).items() if k.startswith("KB_")}))
    app.config.update({k: v for k, v in (test_config or {}).items() if not k.startswith("KB_")})
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask defines the key as None: no limit
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # request bodies: events and ticket forms only

    from helpcenter.web import admin, api, channels, errors, inputs, logs, metrics, ratelimit, security, services, site

    logs.init_app(app)  # first: every request gets its id (X-Request-ID), whoever answers it
    metrics.init_app(app)  # first: every request is counted and timed, also those a hook answers (429)
    inputs.init_app(app)  # every request's text made safe to keep, before any view reads it
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    security.init_app(app)
    services.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.bp)
    ratelimit.init_app(app, "site.search")
    site.init_app(app)  # the site, /widget.js with CORS for /api/*, /api/openapi.json
    app.register_blueprint(admin.bp)
    channels.init_app(app)  # Telegram and KakaoTalk webhooks
    return app
