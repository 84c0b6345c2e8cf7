"""Ranking steps as pure functions over plain data; ties always break on (-score, slug)."""
from __future__ import annotations

import heapq
from typing import Iterable, Mapping, Sequence

from helpcenter.languages import DEFAULT, LANGS


def ranked(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """Items by descending score, ties broken by key so results are deterministic."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def top(scores: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    """The first `n` of `ranked(scores)`, without sorting the rest (a partial sort: a search over
    thousands of articles needs its first few)."""
    return heapq.nsmallest(n, scores.items(), key=lambda kv: (-kv[1], kv[0]))


def first(scores: Mapping[str, float], slugs: Iterable[str]) -> dict[str, float]:
    """`scores` with the `slugs` among them lifted above every other, in their own order."""
    lifted = [s for s in slugs if s in scores]
    if not lifted:
        return dict(scores)
    lift = max(scores.values()) - min(scores[s] for s in lifted) + 1.0
    return {s: v + lift if s in lifted else v for s, v in scores.items()}


def rrf(runs: Sequence[Mapping[str, float]], k: int = 60, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Reciprocal-rank fusion: sum over runs of weight / (k + rank), rank starting at 1.

    Args:
        runs: one mapping of key -> score per retriever (only the order matters).
        k: the RRF constant (60 as in Cormack et al.).
        weights: optional per-run weights (default 1 each).
    """
    weights = weights or [1.0] * len(runs)
    fused: dict[str, float] = {}
    for run, w in zip(runs, weights):
        for rank, (key, _) in enumerate(ranked(run), start=1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


def normalize(scores: Mapping[str, float], floor: float | None = None) -> dict[str, float]:
    """Min-max normalize scores into [0, 1]; a single or constant run maps to 1.0.

    Args:
        floor: the value that maps to 0 instead of the run's minimum (clipped below).
    """
    if not scores:
        return {}
    hi = max(scores.values())
    lo = min(scores.values()) if floor is None else floor
    if hi - lo <= 1e-12:
        return {key: 1.0 for key in scores}
    return {key: max(0.0, (s - lo) / (hi - lo)) for key, s in scores.items()}


def combine(runs: Sequence[Mapping[str, float]], weights: Sequence[float]) -> dict[str, float]:
    """Weighted sum of already normalized runs (a key missing from a run contributes 0)."""
    out: dict[str, float] = {}
    for run, w in zip(runs, weights):
        for key, s in run.items():
            out[key] = out.get(key, 0.0) + w * s
    return out


KEYWORD_SATURATION = 20.0  # the BM25 score that maps to 0.5: one weak term match does not count as strong


def saturate(score: float, k: float = KEYWORD_SATURATION) -> float:
    """A BM25 score squeezed into [0, 1): s / (s + k)."""
    return score / (score + k)


def saturate_all(scores: Mapping[str, float], k: float = KEYWORD_SATURATION) -> dict[str, float]:
    return {key: s / (s + k) for key, s in scores.items()}  # `saturate` of each, without a call each


def language_features(lang: str) -> dict[str, float]:
    """The reader's language as the no-answer model sees it: `lang_<code>` = 1 for each language but
    the default one (the model's reference)."""
    return {f"lang_{other}": 1.0 if lang == other else 0.0 for other in LANGS if other != DEFAULT.code}


def phrase_matches(typed: frozenset[str], expanded: frozenset[str],
                   entries: Iterable[tuple[frozenset[str], str]],
                   groups: Sequence[tuple[frozenset[str], frozenset[str]]] = ()) -> dict[str, float]:
    """"Best bets": articles whose title or an editor's keyword phrase is wholly in the query.

    Args:
        typed: the query's own terms.
        expanded: those plus synonym expansions (and, while typing, completions).
        entries: (analyzed phrase terms, slug) for every title and keyword.
        groups: each matched synonym group as (the words typed of it, the words of its other entries):
            `Synonyms.matched`.

    Returns:
        slug -> the best share of the query a matched phrase covers. A word not typed counts half, but
        a synonym group counts as the word it stands for: half a word however many of its words the
        phrase has ("take money out" covers a quarter of "withdrawal stuck", not three quarters), and
        nothing where the phrase has that word too ("withdraw winnings": winnings is another way to say
        withdraw), as in the keyword run (`KeywordIndex.scores`).
    """
    out: dict[str, float] = {}
    n = max(1, len(typed))
    for terms, slug in entries:
        if terms and terms <= expanded:
            said, rest = terms & typed, terms - typed
            share = float(len(said))
            for stands_for, words in groups:
                if rest & words:
                    rest -= words
                    share += 0.0 if stands_for & said else 0.5
            share = (share + 0.5 * len(rest)) / n
            if share > out.get(slug, 0.0):
                out[slug] = share
    return out
