"""The log writer: query and event rows written off the request path, in batches, losing none that can
be kept.

`put` never blocks a request: rows wait in a bounded queue that one thread drains every `interval`
seconds. When the database cannot be reached (stopped, restarting, its disk full) the rows stay queued
and are written when it is back, with back-off between tries. A row the database refuses on its own
(a value it cannot store) is set apart: the batch is retried row by row, the refused row is logged and
counted, and the others are written. Rows are dropped only when the queue is full, and then loudly
(an error log and the `dropped` count, which `/metrics` exports).
"""
from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from helpcenter.content.errors import describe
from helpcenter.insights.db import Database

log = logging.getLogger(__name__)

# Errors that say the database is not there for now (any row would fail), not that a row is bad.
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, ConnectionError)
MAX_BACKOFF = 30.0


class BatchWriter:
    """Writes log rows off the request path: a bounded queue drained by one thread.

    `close()` (also run at exit) flushes what is queued; a killed process loses at most one window.

    Attributes:
        written, rejected, dropped: rows written, refused by the database as bad, and dropped because
            the queue was full (all since the writer started).
    """

    def __init__(self, db: Database, interval: float = 0.5, max_batch: int = 500, max_queue: int = 50_000) -> None:
        self.db = db
        self.interval = interval
        self.max_batch = max_batch
        self.max_queue = max_queue
        self.written = self.rejected = self.dropped = 0
        self._q: deque[tuple[str, dict]] = deque()
        self._lock = threading.Lock()  # for the queue and the counts
        self._write_lock = threading.Lock()  # one drain at a time (the thread, flush, close)
        self._retry_at = 0.0  # while the database is away: when to try again
        self._backoff = 0.0
        self._stop = threading.Event()
        # called with the writer after each window, in its thread (`/metrics` exports depth and counts)
        self.on_tick: Callable[[BatchWriter], None] | None = None
        self._thread = threading.Thread(target=self._run, name="kb-batch-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    @property
    def depth(self) -> int:
        """Rows waiting to be written."""
        return len(self._q)

    def put(self, table: str, values: dict) -> bool:
        """Queue a row; False (and counted, and logged) when the queue is full and it is dropped."""
        with self._lock:
            if len(self._q) >= self.max_queue:
                self.dropped += 1
                dropped = self.dropped
            else:
                self._q.append((table, values))
                return True
        if dropped == 1 or dropped % 1000 == 0:
            log.error("log queue full (%d rows waiting for the database): %d %s rows dropped so far",
                      self.max_queue, dropped, table)
        return False

    def _take(self) -> list[tuple[str, dict]]:
        with self._lock:
            return [self._q.popleft() for _ in range(min(self.max_batch, len(self._q)))]

    def _give_back(self, rows: list[tuple[str, dict]]) -> None:
        with self._lock:
            self._q.extendleft(reversed(rows))

    def _drain(self, force: bool = False) -> None:
        """Write what is queued; while the database is away, only once its back-off has passed."""
        with self._write_lock:
            if not force and time.monotonic() < self._retry_at:
                return
            while batch := self._take():
                if not self._write(batch):
                    return

    def _write(self, batch: list[tuple[str, dict]]) -> bool:
        """Write one batch, setting apart rows the database refuses; False when it is unavailable."""
        try:
            self.db.write_batch(batch)
        except UNAVAILABLE as exc:
            return self._unavailable(batch, exc)
        except Exception:
            # one row (or more) the database will not take: write the others one by one
            for i, row in enumerate(batch):
                try:
                    self.db.write_batch([row])
                except UNAVAILABLE as exc:
                    return self._unavailable(batch[i:], exc)
                except Exception as exc:
                    with self._lock:
                        self.rejected += 1
                    log.error("log row refused by the database and set apart (%s row: %s)", row[0], describe(exc))
                else:
                    self._written(1)
            return True
        self._written(len(batch))
        return True

    def _written(self, n: int) -> None:
        with self._lock:
            self.written += n
        if self._backoff:
            log.warning("database reachable again: writing queued log rows (%d waiting)", self.depth)
            self._backoff = 0.0

    def _unavailable(self, rows: list[tuple[str, dict]], exc: Exception) -> bool:
        self._give_back(rows)
        if not self._backoff:
            log.error("database unavailable, %d log rows kept in memory until it is back: %s",
                      self.depth, describe(exc))
        self._backoff = min(MAX_BACKOFF, max(self.interval, self._backoff * 2))
        self._retry_at = time.monotonic() + self._backoff
        return False

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._drain()
            except Exception:  # never let the thread die: the next window tries again
                log.exception("log writer failed")
            if self.on_tick is not None:
                try:
                    self.on_tick(self)
                except Exception:
                    log.exception("log writer's observer failed")

    def flush(self) -> None:
        """Write what is queued now (tests, shutdown), even during a back-off."""
        self._drain(force=True)

    def close(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(timeout=10)
        self._drain(force=True)
        if self.depth:
            log.error("%d log rows could not be written before the process stopped", self.depth)
