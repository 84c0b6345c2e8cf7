"""The log writer: query and event rows written off the request path, in batches."""
from __future__ import annotations

import atexit
import logging
import queue
import threading

from helpcenter.insights.db import Database

log = logging.getLogger(__name__)


class BatchWriter:
    """Writes log rows off the request path: a queue drained by one thread every `interval` seconds.

    `close()` (also run at exit) flushes what is queued; a killed process loses at most one window.
    """

    def __init__(self, db: Database, interval: float = 0.5, max_batch: int = 500) -> None:
        self.db = db
        self.interval = interval
        self.max_batch = max_batch
        self._q: queue.Queue[tuple[str, dict]] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kb-batch-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def put(self, table: str, values: dict) -> None:
        self._q.put((table, values))

    def _drain(self) -> None:
        while True:
            batch: list[tuple[str, dict]] = []
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._q.get_nowait())
                except queue.Empty:
                    break
            if not batch:
                return
            try:
                self.db.write_batch(batch)
            except Exception:
                log.exception("could not write %d log rows; keeping them for the next try", len(batch))
                for item in batch:
                    self._q.put(item)
                return

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._drain()
        self._drain()

    def flush(self) -> None:
        self._drain()

    def close(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(timeout=10)
        self._drain()
