"""Prometheus metrics: `GET /metrics`, summed over every worker of a server.

Under gunicorn (`helpcenter.serving`) prometheus-client runs in its multiprocess mode: each worker
writes its values into files in `PROMETHEUS_MULTIPROC_DIR` and whichever worker answers a scrape reads
them all, so the counts are the server's, not the answering worker's. Anywhere else (the development
server, tests) the values are this process's. What is read from the database (the ticket outbox) is
counted when scraped, by the worker that answers.

Labels stay few: `endpoint` is the Flask endpoint's name (`api.search`, `site.article`, `unmatched` for
a path no route knows), never the path, so that scanners' 404s add no series.

Who may read it: with `KB_METRICS_TOKEN` set, a request carrying `Authorization: Bearer <token>`;
without, a request from this machine (loopback) that did not come through a proxy (no
`X-Forwarded-For`/`Forwarded`): the counts say what players search for and how the service copes,
which is nobody else's business.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from helpcenter.content.errors import describe
from helpcenter.index.encoders import observe_queries
from helpcenter.insights import outbox
from helpcenter.insights.logwriter import BatchWriter
from helpcenter.search.searcher import SearchResponse

log = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"

# no `_created` series: the multiprocess mode has none, and one process should not differ from many
disable_created_metrics()

# This process's metrics (in multiprocess mode their values go to files; the registry only names them).
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter("kb_http_requests", "HTTP requests answered, by Flask endpoint and status code.",
                   ("endpoint", "status"), registry=REGISTRY)
DURATION = Histogram("kb_http_request_duration_seconds", "Time the app took to answer, by Flask endpoint.",
                     ("endpoint",), registry=REGISTRY,
                     buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
QUERIES = Counter("kb_queries", "Queries logged (searches, settled suggestions, messenger questions), by the "
                  "reader's language and whether the knowledge base answered.", ("lang", "answered"),
                  registry=REGISTRY)
ENCODER = Histogram("kb_encoder_duration_seconds", "Queries the encoder model read (those no cache answered) "
                    "and the time each took.", registry=REGISTRY,
                    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))
LOG_QUEUE = Gauge("kb_log_queue_depth", "Query and event rows waiting to be written to the database.",
                  registry=REGISTRY, multiprocess_mode="livesum")
LOG_DROPPED = Counter("kb_log_rows_dropped", "Log rows dropped because the queue was full.", registry=REGISTRY)
LOG_REJECTED = Counter("kb_log_rows_rejected", "Log rows the database refused (set apart, not written).",
                       registry=REGISTRY)
INDEX = Gauge("kb_index_info", "1 for each index version a worker serves.", ("version",), registry=REGISTRY,
              multiprocess_mode="livemax")

_LOOPBACK_FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_ENV) or None


def count_query(resp: SearchResponse) -> None:
    """Count a logged query (`services.log_query`)."""
    QUERIES.labels(resp.lang, "true" if resp.answered else "false").inc()


def _encoded(_encoder: str, seconds: float) -> None:
    ENCODER.observe(seconds)


def watch_writer(writer: BatchWriter) -> None:
    """Export the log writer's queue depth and its drops, updated each window (in its thread)."""
    seen = {"dropped": 0, "rejected": 0}
    lock = threading.Lock()

    def tick(w: BatchWriter) -> None:
        with lock:
            LOG_QUEUE.set(w.depth)
            for name, counter in (("dropped", LOG_DROPPED), ("rejected", LOG_REJECTED)):
                now = getattr(w, name)
                if now > seen[name]:
                    counter.inc(now - seen[name])
                    seen[name] = now

    writer.on_tick = tick


class ScrapeTime:
    """What is read when scraped, by the answering worker: the ticket outbox's depth."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        family = GaugeMetricFamily("kb_ticket_outbox_depth",
                                   "Ticket messages not yet delivered (pending, or being sent), read when scraped.")
        db = self.app.extensions.get("kb_db")
        if db is not None:
            try:
                family.add_metric([], outbox.depth(db))
            except Exception as exc:  # the database is away: /readyz says so; the rest is still exported
                log.warning("kb_ticket_outbox_depth not read: %s", describe(exc))
        yield family


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _check_access() -> None:
    token = current_app.config.get("KB_METRICS_TOKEN", "")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return
        raise Unauthorized("/metrics needs the header 'Authorization: Bearer <KB_METRICS_TOKEN>'",
                           www_authenticate=WWWAuthenticate("bearer"))
    # the connection's own peer, not what KB_PROXY_HOPS made of X-Forwarded-For
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or request.environ.get(
        "REMOTE_ADDR", "")
    if not _is_loopback(peer) or any(h in request.headers for h in _LOOPBACK_FORWARDED):
        raise Forbidden("/metrics answers requests from this machine only; set KB_METRICS_TOKEN to scrape it "
                        "from elsewhere")


def _index_version(app: Flask) -> None:
    """Keep `kb_index_info` on the version this worker serves."""
    holder = app.extensions.get("kb_searcher")
    if holder is None:
        return
    try:
        version = holder.get().index.version
    except Exception:  # no index: /healthz and /readyz say so
        return
    served = app.extensions.get("kb_metrics_version")
    if version != served:
        if served is not None:
            INDEX.labels(served).set(0)
        INDEX.labels(version).set(1)
        app.extensions["kb_metrics_version"] = version


def init_app(app: Flask) -> None:
    """Count and time every request (register before the other hooks, so that requests they answer
    themselves, such as a 429, are counted too), and serve `/metrics`."""
    observe_queries(_encoded)
    scrape_time = CollectorRegistry(auto_describe=False)
    scrape_time.register(ScrapeTime(app))

    @app.before_request
    def _started() -> None:
        g.kb_started = time.perf_counter()

    @app.after_request
    def _counted(response):
        started = g.get("kb_started")
        endpoint = request.endpoint or "unmatched"
        REQUESTS.labels(endpoint, str(response.status_code)).inc()
        if started is not None:
            DURATION.labels(endpoint).observe(time.perf_counter() - started)
        _index_version(app)
        return response

    def metrics() -> Response:
        _check_access()
        writer = app.extensions.get("kb_writer")
        if writer is not None and writer.on_tick is not None:
            writer.on_tick(writer)  # this worker's own numbers as of now
        path = multiprocess_dir()
        if path:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=path)
        else:
            registry = REGISTRY
        body = generate_latest(registry) + generate_latest(scrape_time)
        return Response(body, mimetype=None, content_type=CONTENT_TYPE_LATEST,
                        headers={"Cache-Control": "no-store"})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
