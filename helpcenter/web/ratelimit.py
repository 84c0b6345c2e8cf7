"""Per-client rate limits on /api/* (429 JSON with Retry-After), and the proxy hops to trust for the client address.

The limiter is a few lines of our own rather than Flask-Limiter, which cost more than ranking a keystroke:
0.6 ms of CPU a request with one client and 3.1 ms with thousands under the default limits (its
in-memory storage walks every client's key every 10 ms in a timer thread), against ~1.1 ms for a whole
suggestion; this one costs less than the noise of `bench/ratelimit.py`. Limits are written in the `limits`
package's notation ("20/second;600/minute", "10 per 2 minutes"), parsed here: importing `limits` (its
async storage layer comes with it) took 11 MB of every worker's memory to read one setting.
"""
from __future__ import annotations

import math
import re
import threading
import time

from flask import Flask, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from helpcenter.content.errors import ConfigError

OFF = ("", "off", "0", "none")
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "month": 30 * 86400, "year": 365 * 86400}
_RULE_RE = re.compile(r"(\d+)\s*(?:/|\s+per\s+)\s*(\d+)?\s*(" + "|".join(UNITS) + r")s?", re.IGNORECASE)


def parse_rules(spec: str) -> list[tuple[int, float]]:
    """(requests, seconds) for each rule of a limit written as "N/unit" or "N per unit" (also "N/2
    minutes"), rules apart by ";", "," or "|"; ValueError for anything else."""
    rules = []
    for rule in map(str.strip, re.split(r"[;,|]", spec)):
        if not rule:
            continue
        m = _RULE_RE.fullmatch(rule)
        if m is None:
            raise ValueError(f"{rule!r} is not 'N/unit' with a unit among {', '.join(UNITS)}")
        amount = int(m[1])
        if amount < 1:
            raise ValueError(f"{rule!r} allows no request at all")
        rules.append((amount, float(int(m[2] or 1) * UNITS[m[3].lower()])))
    if not rules:
        raise ValueError("no rule given")
    return rules


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

    @classmethod
    def parse(cls, spec: str) -> RateLimiter | None:
        """A limiter for a KB_RATE_LIMIT value ("20/second;600/minute"), None when it is off."""
        if spec.strip().lower() in OFF:
            return None
        try:
            rules = parse_rules(spec)
        except ValueError as exc:
            raise ConfigError(f"KB_RATE_LIMIT={spec!r}: {exc}; write it like '20/second;600/minute' or 'off'")
        return cls(rules)

    def hit(self, client: str, now: float | None = None) -> float:
        """Count a request of `client`: 0 when it may go, else the seconds until it may (not counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now >= self._sweep_at:
                self._sweep(now)
            due = self._due.get(client) or [now] * len(self._rules)  # a new client: a full budget
            wait = max(d - now - ahead for (_, ahead), d in zip(self._rules, due))
            if wait > 0:
                return wait
            self._due[client] = [max(d, now) + interval for (interval, _), d in zip(self._rules, due)]
            return 0.0

    def _sweep(self, now: float) -> None:
        self._due = {c: due for c, due in self._due.items() if max(due) > now}
        self._sweep_at = now + self._horizon

    def __len__(self) -> int:
        return len(self._due)


def init_app(app: Flask, *blueprints) -> None:
    """Limit the given blueprints per client address; `KB_RATE_LIMIT=off` turns limits off.

    Counters live in each worker's memory: with N workers a client may get up to N times the limit,
    which keeps the check free of any shared service. Behind a load balancer set `KB_PROXY_HOPS` so the
    client's own address (X-Forwarded-For) is used, not the balancer's.
    """
    hops = int(app.config.get("KB_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    spec = app.config.get("KB_RATE_LIMIT") or ""
    limiter = RateLimiter.parse(spec)
    if limiter is None:
        return
    limited = frozenset(bp.name for bp in blueprints)

    @app.before_request
    def rate_limit() -> None:
        # one budget per client across the blueprints' routes, not one per route
        wait = limiter.hit(request.remote_addr or "") if request.blueprint in limited else 0.0
        if wait:
            raise TooManyRequests(f"too many requests (limit {spec}); wait as long as the Retry-After "
                                  "header says", retry_after=max(1, math.ceil(wait)))

    app.extensions["kb_limiter"] = limiter
