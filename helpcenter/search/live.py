"""The live searcher of a process: opened once, swapped when `kb build` switches the index."""
from __future__ import annotations

import gc
import logging
import threading
import time
from pathlib import Path

from helpcenter.index.versions import built_versions, current_version, open_index
from helpcenter.search.searcher import Searcher

log = logging.getLogger(__name__)

CHECK_EVERY = 1.0  # seconds between looks at the CURRENT pointer


class SearcherHolder:
    """Holds the live `Searcher`; a request after a new build opens the new version, others keep serving."""

    def __init__(self, index_dir: str, encoder: str) -> None:
        self.index_dir = Path(index_dir)
        self.encoder = encoder
        self._searcher: Searcher | None = None
        self._failed: str | None = None  # a live version that could not be opened
        self._checked = 0.0
        self._lock = threading.Lock()

    def get(self) -> Searcher:
        """The searcher of the live version, opened (or switched to) at most once a `CHECK_EVERY`.

        A version that cannot be opened (CURRENT naming a removed or damaged version, an unreadable
        index directory) never stops service: the version being served goes on; a process starting
        meanwhile serves the newest version that opens, and says so in the log.

        Raises:
            IndexNotFound, IndexMismatch: only when no version at all can be served.
        """
        now = time.monotonic()
        if self._searcher is not None and now - self._checked < CHECK_EVERY:
            return self._searcher
        with self._lock:
            if self._searcher is None or now - self._checked >= CHECK_EVERY:
                self._checked = now
                self._refresh()
            assert self._searcher is not None
            return self._searcher

    def _refresh(self) -> None:
        old = self._searcher
        live = None
        try:
            live = current_version(self.index_dir)
            if old is not None and (not live or live in (old.index.version, self._failed)):
                return  # nothing new (or the same broken version again: said once already)
            searcher = Searcher(open_index(self.index_dir, self.encoder, live))
        except Exception as exc:
            self._failed = live
            if old is not None:
                log.error("could not open the live index (%s); still serving %s", exc, old.index.version)
                return
            searcher = self._last_good(exc)
        self._searcher = searcher
        del old  # the last reference: its index is freed before the heap is frozen
        settle_heap()
        log.info("serving index %s", searcher.index.version)

    def _last_good(self, problem: Exception) -> Searcher:
        """With nothing served yet: the newest built version that opens, or `problem` again."""
        for version in built_versions(self.index_dir):
            try:
                searcher = Searcher(open_index(self.index_dir, self.encoder, version))
            except Exception:
                continue
            log.error("the live index cannot be opened (%s); serving %s, the newest version that can be",
                      problem, version)
            return searcher
        raise problem


def settle_heap() -> None:
    """Take what is loaded for good (the index, the analyzers, the model) out of the garbage
    collector's sight: with ~110k long-lived objects a full collection took 65 ms in a request on a
    2-core server; frozen, none. Run after each index switch (the old index is collected first)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
