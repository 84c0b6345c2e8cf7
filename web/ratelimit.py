"""Per-client rate limits on /api/* (429 JSON with Retry-After), and the proxy hops to trust for the client address."""
from __future__ import annotations

import logging

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


def init_app(app: Flask, *blueprints) -> None:
    """Limit the given blueprints per client address; `KB_RATE_LIMIT=off` turns limits off.

    Counters live in each worker's memory: with N workers a client may get up to N times the limit,
    which keeps the check free of any shared service. Behind a load balancer set `KB_PROXY_HOPS` so the
    client's own address (X-Forwarded-For) is used, not the balancer's.
    """
    hops = int(app.config.get("KB_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    spec = (app.config.get("KB_RATE_LIMIT") or "").strip()
    if spec.lower() in ("", "off", "0", "none"):
        return
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", headers_enabled=True,
                      strategy="moving-window")
    for bp in blueprints:
        # one budget per client across the blueprint's routes, not one per route
        limiter.shared_limit(spec, scope=bp.name, error_message=f"too many requests (limit {spec}); "
                             "wait as long as the Retry-After header says")(bp)
    app.extensions["kb_limiter"] = limiter
