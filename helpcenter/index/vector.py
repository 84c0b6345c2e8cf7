"""Vector index: faiss over normalized passage embeddings (title + one section chunk each)."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

# faiss says at INFO which of its builds it tried and could not load ("No module named
# 'faiss.swigfaiss_avx512'") every time a process imports it: alarming noise in an operator's log
logging.getLogger("faiss.loader").setLevel(logging.WARNING)

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from helpcenter.content.articles import Article
from helpcenter.index.encoders import Encoder

log = logging.getLogger(__name__)

# Chunks of about this many tokens: the encoder's cost per token grows with length (attention), and a
# short passage is a sharper match for one question. The encoder's own limit caps it anyway.
CHUNK_TOKENS = 160
FLAT_MAX = 50_000  # exact search below this many passages; HNSW above


@dataclass(frozen=True)
class Passage:
    key: str  # "lang/slug"
    anchor: str
    heading: str
    text: str  # what is embedded


def _chunks(head: str, text: str, encoder: Encoder, budget: int) -> list[str]:
    """Greedily pack lines of `text` after `head` into chunks within `budget` tokens."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out, cur = [], []
    for line in lines:
        candidate = "\n".join([head, *cur, line])
        if cur and encoder.count_tokens(candidate) > budget:
            out.append("\n".join([head, *cur]))
            cur = [line]
        else:
            cur.append(line)
    if cur or not out:
        out.append("\n".join([head, *cur]))
    return out


def passages_for(article: Article, encoder: Encoder) -> list[Passage]:
    """The passages of one article: an overview (title, summary, keywords), then each section's chunks."""
    budget = min(CHUNK_TOKENS, encoder.max_tokens - 2)
    overview = "\n".join(x for x in (article.title, article.summary, ", ".join(article.keywords)) if x)
    out = [Passage(article.key, "", "", overview)]
    for s in article.sections:
        # the title already leads the overview passage; repeating it in every chunk costs ~20% of build time
        head = s.heading or article.title
        for chunk in _chunks(head, s.text, encoder, budget):
            out.append(Passage(article.key, s.anchor, s.heading, chunk))
    return out


class EmbeddingCache:
    """Content-addressed passage embeddings kept between builds, so a rebuild embeds only what changed."""

    def __init__(self, path: Path, encoder_name: str) -> None:
        self.path = path / (hashlib.sha1(encoder_name.encode()).hexdigest()[:16] + ".npz")
        self._data: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                with np.load(self.path) as z:
                    self._data = dict(zip(z["keys"].tolist(), z["vecs"]))
            except (OSError, ValueError, KeyError):
                log.warning("embedding cache %s unreadable; rebuilding it", self.path)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str], encoder: Encoder, batch: int = 32, progress=None) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._data]
        if progress and missing:
            progress(0, len(missing))  # the step begins: a progress bar measures the time left from here
        for start in range(0, len(missing), batch):
            idx = missing[start:start + batch]
            vecs = encoder.encode_passages([texts[i] for i in idx])
            for i, v in zip(idx, vecs):
                self._data[keys[i]] = v
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
        return np.stack([self._data[k] for k in keys]) if keys else np.zeros((0, encoder.dim), np.float32)

    def save(self, keep: Sequence[str]) -> None:
        """Persist only the entries for `keep` texts (the current content), atomically."""
        keys = [self._key(t) for t in dict.fromkeys(keep)]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vecs=np.stack([self._data[k] for k in keys]) if keys else np.zeros((0, 1)))
        tmp.replace(self.path)


def make_faiss_index(vectors: np.ndarray) -> tuple[faiss.Index, str]:
    """Choose the faiss index type by collection size; returns the index and its type name."""
    n, dim = vectors.shape
    if n <= FLAT_MAX:
        index, kind = faiss.IndexFlatIP(dim), "IndexFlatIP"
    else:
        index, kind = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT), "IndexHNSWFlat(M=32)"
        index.hnsw.efSearch = 128
    index.add(vectors)
    return index, kind


def write_vector_index(path: Path, passages: Sequence[Passage], vectors: np.ndarray) -> str:
    import json

    index, kind = make_faiss_index(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(path / "vectors.faiss"))
    (path / "passages.json").write_text(
        json.dumps([asdict(p) for p in passages], ensure_ascii=False), encoding="utf-8")
    return kind


class VectorIndex:
    """Read-only passage vectors; `search` returns (passage, cosine) for the nearest passages."""

    def __init__(self, path: Path) -> None:
        import json

        self._index = faiss.read_index(str(path / "vectors.faiss"))
        self.passages = [Passage(**p) for p in json.loads((path / "passages.json").read_text(encoding="utf-8"))]

    @property
    def size(self) -> int:
        return self._index.ntotal

    def search(self, query_vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and passage ids of the `k` nearest passages (all of them when k >= size)."""
        k = min(k, self.size)
        scores, ids = self._index.search(query_vec.reshape(1, -1).astype(np.float32), k)
        return scores[0], ids[0]
