"""Per-client rate limits on /api/* (429 JSON with Retry-After), and the proxy hops to trust for the client address.

The limiter is a few lines of our own rather than Flask-Limiter, which cost more than ranking a keystroke:
0.6 ms of CPU a request with one client and 3.1 ms with thousands under the default limits (its
in-memory storage walks every client's key every 10 ms in a timer thread), against ~1.1 ms for a whole
suggestion; this one costs less than the noise of `bench/ratelimit.py`. Limits are written in the `limits`
package's notation ("20/second;600/minute", "10 per 2 minutes"), parsed by `content.settings`: importing
`limits` (its async storage layer comes with it) took 11 MB of every worker's memory to read one setting.
"""
from __future__ import annotations

import math
import threading
import time

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from helpcenter.content.settings import UNITS

VOTES = [(30, 3600.0)]  # "was this helpful?" votes one address may cast an hour (any number of articles)


class RateLimiter:
    """Generic cell rate algorithm, per client and rule: under "N/period" a client may send N requests
    at once and then one every period/N. A client's state is one time per rule, the time its budget
    would be empty again; clients whose budget is full again are forgotten once per longest period."""

    def __init__(self, rules: list[tuple[int, float]]) -> None:
        """`rules`: (requests, seconds) pairs, all of which a request must pass."""
        # per rule: the time a request uses up, and how far ahead of now that time may run
        self._rules = [(period / amount, period - period / amount) for amount, period in rules]
        self._horizon = max(period for _, period in rules)
        self._due: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = 0.0

    def hit(self, client: str, now: float | None = None, cost: float = 1.0) -> float:
        """Count `cost` units (a request; or the encoder's tokens) of `client`: 0 when they may be spent,
        else the seconds until they may (nothing is counted). More than a rule's whole burst never may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now >= self._sweep_at:
                self._sweep(now)
            due = self._due.get(client) or [now] * len(self._rules)  # a new client: a full budget
            after = [max(d, now) + interval * cost for (interval, _), d in zip(self._rules, due)]
            wait = max(a - now - (ahead + interval) for (interval, ahead), a in zip(self._rules, after))
            if wait > 0:
                return wait
            self._due[client] = after
            return 0.0

    def _sweep(self, now: float) -> None:
        self._due = {c: due for c, due in self._due.items() if max(due) > now}
        self._sweep_at = now + self._horizon

    def __len__(self) -> int:
        return len(self._due)


def _limiter(app: Flask, name: str) -> RateLimiter | None:
    """The limiter of a limit setting (its rules, parsed by `content.settings.limit`), None when off."""
    rules = app.config.get(name)
    return RateLimiter(rules) if rules else None


def describe(rules: list[tuple[int, float]]) -> str:
    names = {seconds: unit for unit, seconds in UNITS.items()}
    return ";".join(f"{n}/{names.get(s) or f'{s:g} seconds'}" for n, s in rules)


def client() -> str:
    """The client's address (the player's own behind `KB_PROXY_HOPS` proxies): what limits count by."""
    return request.remote_addr or ""


def ticket_wait() -> float:
    """Count a ticket sent by this client: 0 when it may be stored, else the seconds to wait."""
    limiter = current_app.extensions.get("kb_ticket_limiter")
    return limiter.hit(client()) if limiter is not None else 0.0


def encoder_allowance():
    """What `Searcher.run` asks before the encoder reads a text for this client: yes when the text is
    cached (free) or the client's `KB_ENCODER_BUDGET` of tokens still allows it; no means the query is
    ranked without the encoder (keyword retrieval), so one client cannot fill the server's CPU."""
    budget = current_app.extensions.get("kb_encoder_budget")
    if budget is None:
        return None
    who = client()

    def allow(text: str) -> bool:  # asked only when the encoder would run: most keystrokes never ask
        from helpcenter.web.services import get_searcher

        encoder = get_searcher().index.encoder
        return encoder.is_cached(text) or budget.hit(who, cost=encoder.count_tokens(text)) == 0

    return allow


def init_app(app: Flask, *limited_endpoints: str) -> None:
    """Per client address: `KB_RATE_LIMIT` on the API's blueprint and the given endpoints (one budget
    across them all), `KB_TICKET_RATE_LIMIT` on tickets sent, `KB_ENCODER_BUDGET` on the encoder's
    tokens; each `off` turns it off.

    Counters live in each worker's memory: with N workers a client may get up to N times a limit, which
    keeps the check free of any shared service. Behind a load balancer set `KB_PROXY_HOPS` so the
    client's own address (X-Forwarded-For) is used, not the balancer's.
    """
    hops = app.config["KB_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.extensions["kb_ticket_limiter"] = _limiter(app, "KB_TICKET_RATE_LIMIT")
    app.extensions["kb_vote_limiter"] = RateLimiter(VOTES)
    app.extensions["kb_encoder_budget"] = _limiter(app, "KB_ENCODER_BUDGET")
    limiter = _limiter(app, "KB_RATE_LIMIT")
    if limiter is None:
        return
    spec = describe(app.config["KB_RATE_LIMIT"])
    limited = frozenset(limited_endpoints)

    @app.before_request
    def rate_limit() -> None:
        # one budget per client across the limited routes, not one per route
        if request.blueprint == "api" or request.endpoint in limited:
            wait = limiter.hit(client())
            if wait:
                raise TooManyRequests(f"too many requests (limit {spec}); wait as long as the Retry-After "
                                      "header says", retry_after=max(1, math.ceil(wait)))

    app.extensions["kb_limiter"] = limiter
