"""Fusion: one score per article from the keyword run, the vector run and best bets; chosen by name.

A fusion is a small pure object (Pyserini's hybrid searcher, txtai's `Hybrid`): `fuse` takes each
retriever's best score per slug and returns the fused scores. Both fusions treat partial evidence
alike: without a vector run, the saturated keyword scores and best bets are combined; without a keyword
run, best bets alone rank when there are any (the reader's text begins a title), else the vector run.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from helpcenter.search import ranking

Scores = Mapping[str, float]


@dataclass(frozen=True)
class Fusion:
    """The weights both fusions use for partial evidence (and `Combine` for full evidence)."""

    keyword: float = 0.75
    vector: float = 0.25
    phrase: float = 0.2  # best bets: a whole title or editor keyword phrase in the query

    name = "fusion"

    def fuse(self, keyword: Scores, vector: Scores, phrases: Scores) -> dict[str, float]:
        if not vector:
            return ranking.combine([ranking.saturate_all(keyword), phrases], [self.keyword, self.phrase])
        if not keyword:
            return ranking.combine([phrases], [self.phrase]) if phrases else dict(vector)
        return self.both(keyword, vector, phrases)

    def both(self, keyword: Scores, vector: Scores, phrases: Scores) -> dict[str, float]:
        raise NotImplementedError


@dataclass(frozen=True)
class Combine(Fusion):
    """Normalized-score combination: BM25 saturated (s / (s + K)), cosines min-max scaled above the
    median article's, best bets as they are; a weighted sum. Beat RRF on the golden set."""

    name = "combine"

    def both(self, keyword: Scores, vector: Scores, phrases: Scores) -> dict[str, float]:
        vec_n = ranking.normalize(vector, floor=float(np.median(list(vector.values()))))
        return ranking.combine([ranking.saturate_all(keyword), vec_n, phrases],
                               [self.keyword, self.vector, self.phrase])


@dataclass(frozen=True)
class RRF(Fusion):
    """Reciprocal-rank fusion (k=60) of the runs; only their order counts."""

    k: int = 60
    name = "rrf"

    def both(self, keyword: Scores, vector: Scores, phrases: Scores) -> dict[str, float]:
        return ranking.rrf([keyword, vector, phrases] if phrases else [keyword, vector], k=self.k)


FUSIONS: dict[str, Fusion] = {f.name: f for f in (Combine(), RRF())}
DEFAULT = "combine"


def make_fusion(name: str | None = None) -> Fusion:
    """The fusion called `name` (default: combine); ValueError listing the choices for another name."""
    try:
        return FUSIONS[name or DEFAULT]
    except KeyError:
        raise ValueError(f"unknown fusion {name!r}; choose one of: {', '.join(FUSIONS)}") from None
