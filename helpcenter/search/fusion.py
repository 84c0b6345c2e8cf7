"""Fusion: one score per article from the keyword run, the vector run and best bets; chosen by name.

A fusion is a small pure object (Pyserini's hybrid searcher, txtai's `Hybrid`): `fuse` takes each
retriever's best score per slug (and what is known of the query: `QueryFacts`) and returns the fused
scores. `Learned` (the default) weighs the two runs per query by weights fitted on the tuning halves of
public corpora and the golden sets (`bench/fit_fusion.py`), and reads a third, the bigram run (`grams`:
articles in the reader's language, for Korean and Persian readers), which no other fusion uses.
`Combine` uses fixed weights, and its 0-1 scores are what every fusion is judged on (`Fusion.judge`:
the no-answer model's `fused_top`, the direct-answer margin, the hits' `score`, each capped by the one
above). Both fusions treat partial evidence alike: without a vector run, the saturated keyword scores
and best bets are combined; without a keyword run, best bets alone rank when there are any (the
reader's text begins a title), else the vector run.
"""
from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np

from helpcenter.search import ranking

Scores = Mapping[str, float]
NO_SCORES: Scores = MappingProxyType({})
WEIGHTS = Path(__file__).parent / "fusion_weights.json"  # `Learned`'s, written by bench/fit_fusion.py


@dataclass(frozen=True)
class QueryFacts:
    """What a fusion may know of the query besides the runs: its language, the share of its terms the
    index knows, how many terms it has, the articles with no version in its language (which the
    bigram run cannot score), and the language the text read is written in (`searcher._written_in`:
    another's when the text is in its script, else the reader's; "" where not known, read as `lang`)."""

    lang: str = "en"
    known: float = 1.0
    terms: int = 1
    untranslated: frozenset[str] = frozenset()
    written: str = ""


@dataclass(frozen=True)
class Fusion:
    """The weights both fusions use for partial evidence (and `Combine` for full evidence)."""

    keyword: float = 0.75
    vector: float = 0.25
    phrase: float = 0.2  # best bets: a whole title or editor keyword phrase in the query

    name = "fusion"

    def fuse(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts = QueryFacts(),
             grams: Scores = NO_SCORES) -> dict[str, float]:
        if not vector:
            return ranking.combine([ranking.saturate_all(keyword), phrases], [self.keyword, self.phrase])
        if not keyword:
            return ranking.combine([phrases], [self.phrase]) if phrases else dict(vector)
        return self.both(keyword, vector, phrases, facts, grams)

    def both(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
             grams: Scores = NO_SCORES) -> dict[str, float]:
        raise NotImplementedError

    def judge(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
              fused: Scores | None = None) -> Mapping[str, float]:
        """The scores the no-answer model (`fused_top`) and the direct-answer policy (the top's lead)
        read, on the scale they were fitted on: this fusion's own (`fused`, when it was fused from this
        evidence; None: fused here)."""
        return fused if fused is not None else self.fuse(keyword, vector, phrases, facts)


@dataclass(frozen=True)
class Combine(Fusion):
    """Normalized-score combination: BM25 saturated (s / (s + K)), cosines min-max scaled above the
    median article's, best bets as they are; a weighted sum. Beat RRF on the golden set."""

    name = "combine"

    def both(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
             grams: Scores = NO_SCORES) -> dict[str, float]:
        vec_n = ranking.normalize(vector, floor=float(np.median(list(vector.values()))))
        return ranking.combine([ranking.saturate_all(keyword), vec_n, phrases],
                               [self.keyword, self.vector, self.phrase])


@dataclass(frozen=True)
class RRF(Fusion):
    """Reciprocal-rank fusion (k=60) of the runs; only their order counts."""

    k: int = 60
    name = "rrf"

    def both(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
             grams: Scores = NO_SCORES) -> dict[str, float]:
        return ranking.rrf([keyword, vector, phrases] if phrases else [keyword, vector], k=self.k)


# Below this many articles in the vector run, `Learned` fuses as `Combine`: its scale-free features (cosines
# scaled above the median article's, ranks) were fitted on indexes of 50 to 7,753 articles and mean little
# among a handful (in a 4-article index they made a near-tie of cosines outweigh a clear BM25F match).
MIN_ARTICLES = 20
CANDIDATES = 50  # from each run (the most hits a request may ask for), plus every best bet
# Per candidate article (`candidate_features`):
CANDIDATE_FEATURES = ("kw_sat", "kw_rel", "vec_norm", "vec_gap", "phrase", "kw_rank", "vec_rank", "gram_rel",
                      "gram_rank")
_GRAM_FEATURES = [CANDIDATE_FEATURES.index(name) for name in ("gram_rel", "gram_rank")]
# Per query, each multiplying every candidate feature (so each weight is a function of the query):
QUERY_FEATURES = ("one", "known", "kw_top", "vec_lead", "kw_lead", "terms", "lang_ko", "lang_fa")


def candidate_features(keyword: Scores, vector: Scores, phrases: Scores, grams: Scores = NO_SCORES,
                       untranslated: frozenset[str] = frozenset()) -> tuple[list[str], np.ndarray]:
    """The candidates (the top `CANDIDATES` of each run and the best bets, sorted) and, for each,
    `CANDIDATE_FEATURES`: its BM25F score saturated and relative to the top's, its cosine min-max
    scaled above the median and its distance to the top cosine (x10), its best-bet share, 1 / (1 + its
    rank) in each run (0-based; 1/61 when outside the top `CANDIDATES`), and its bigram score relative
    to the top's and 1 / (1 + its bigram rank) (1/61 outside the top 60). The bigram run scores only
    articles in the reader's language: an `untranslated` candidate gets the other candidates' mean of
    both bigram features, neither favoured nor buried for the language it lacks."""
    kw_order = ranking.top(keyword, CANDIDATES)
    vec_order = ranking.top(vector, CANDIDATES)
    slugs = sorted({s for s, _ in kw_order} | {s for s, _ in vec_order} | set(phrases))
    kw_rank = {s: i for i, (s, _) in enumerate(kw_order)}
    vec_rank = {s: i for i, (s, _) in enumerate(vec_order)}
    gram_order = ranking.top(grams, 60)
    gram_rank = {s: i for i, (s, _) in enumerate(gram_order)}
    kw_max = kw_order[0][1] if kw_order else 0.0
    vec_top = vec_order[0][1] if vec_order else 0.0
    gram_max = gram_order[0][1] if gram_order else 0.0
    median = float(np.median(list(vector.values()))) if vector else 0.0
    rows = []
    for s in slugs:
        b, c = keyword.get(s, 0.0), vector.get(s, median)
        rows.append((ranking.saturate(b), b / kw_max if kw_max > 0 else 0.0,
                     max(0.0, (c - median) / (vec_top - median + 1e-9)), (c - vec_top) * 10, phrases.get(s, 0.0),
                     1 / (1 + kw_rank.get(s, 60)), 1 / (1 + vec_rank.get(s, 60)),
                     grams.get(s, 0.0) / gram_max if gram_max > 0 else 0.0, 1 / (1 + gram_rank.get(s, 60))))
    out = np.array(rows).reshape(len(slugs), len(CANDIDATE_FEATURES))
    lacking = np.array([s in untranslated for s in slugs], dtype=bool)
    if lacking.any() and not lacking.all():
        out[np.ix_(lacking, _GRAM_FEATURES)] = out[~lacking][:, _GRAM_FEATURES].mean(0)
    return slugs, out


def query_features(keyword: Scores, vector: Scores, facts: QueryFacts) -> np.ndarray:
    """`QUERY_FEATURES`: 1, the share of the query's terms the index knows, the top BM25F score
    saturated, how far the top cosine leads the second (x10), how far the top BM25F score leads the
    second (relative), the number of terms (/10, at most 1), and the reader's language."""
    kw = heapq.nlargest(2, keyword.values())
    vec = heapq.nlargest(2, vector.values())
    kw_lead = ((kw[0] - kw[1]) / kw[0] if len(kw) > 1 else 1.0) if kw and kw[0] > 0 else 0.0
    return np.array([1.0, facts.known, ranking.saturate(kw[0]) if kw else 0.0,
                     (vec[0] - vec[1]) * 10 if len(vec) > 1 else 0.0, kw_lead, min(facts.terms, 10) / 10,
                     1.0 if facts.lang == "ko" else 0.0, 1.0 if facts.lang == "fa" else 0.0])


def design(candidates: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Every candidate feature times every query feature: the rows `Learned` scores linearly."""
    return np.einsum("ij,k->ijk", candidates, query).reshape(len(candidates), -1)


@lru_cache(maxsize=1)
def packaged_weights() -> tuple[float, ...]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if tuple(data["candidate_features"]) != CANDIDATE_FEATURES or tuple(data["query_features"]) != QUERY_FEATURES:
        raise ValueError(f"{WEIGHTS}: fitted for other features; refit with bench/fit_fusion.py --write")
    return tuple(data["weights"])


@dataclass(frozen=True)
class Learned(Fusion):
    """A linear ranker over the candidates whose weight on each piece of evidence depends on the query
    (`design`): how many of its terms the index knows, how peaked each run is, its length and language.
    Fitted by pairwise logistic loss on the tuning halves of the public corpora and the golden sets
    (`bench/fit_fusion.py`), so a query whose words the index barely knows leans on the vectors and
    one whose rare words match leans on BM25F. Empty `weights`: the packaged ones. Below `MIN_ARTICLES`
    articles it fuses as `Combine`."""

    weights: Sequence[float] = ()
    name = "learned"

    @staticmethod
    def ranks(keyword: Scores, vector: Scores) -> bool:
        """Whether the learned weights rank this evidence: both runs, over `MIN_ARTICLES` or more
        articles. Otherwise it is fused as `Combine` fuses it (partial evidence: `Fusion.fuse`)."""
        return bool(keyword) and len(vector) >= MIN_ARTICLES

    def both(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
             grams: Scores = NO_SCORES) -> dict[str, float]:
        if not self.ranks(keyword, vector):
            return Combine(self.keyword, self.vector, self.phrase).both(keyword, vector, phrases, facts)
        slugs, rows = candidate_features(keyword, vector, phrases, grams, facts.untranslated)
        w = np.asarray(self.weights or packaged_weights())
        scores = design(rows, query_features(keyword, vector, facts)) @ w
        return dict(zip(slugs, scores.tolist()))

    def judge(self, keyword: Scores, vector: Scores, phrases: Scores, facts: QueryFacts,
              fused: Scores | None = None) -> Mapping[str, float]:
        """`Combine`'s scores: `Learned` orders the articles, but its scores (about 0-10, a ranker's) are
        not the evidence the no-answer model and the answer policy were fitted to read. Where it did not
        rank (`ranks`), `fused` (when fused from this evidence) already is Combine's: not computed twice
        (most keystrokes of suggest)."""
        if not self.ranks(keyword, vector):
            return fused if fused is not None else self.fuse(keyword, vector, phrases, facts)
        return Combine(self.keyword, self.vector, self.phrase).fuse(keyword, vector, phrases, facts)


FUSIONS: dict[str, Fusion] = {f.name: f for f in (Combine(), Learned(), RRF())}
# Learned orders the results; the no-answer model and the direct-answer policy read Combine's scores
# (`Fusion.judge`), the scale both were fitted on.
DEFAULT = "learned"


def make_fusion(name: str | None = None) -> Fusion:
    """The fusion called `name` (default: `DEFAULT`); ValueError listing the choices for another name."""
    try:
        return FUSIONS[name or DEFAULT]
    except KeyError:
        raise ValueError(f"unknown fusion {name!r}; choose one of: {', '.join(FUSIONS)}") from None


# A question players asked before, answered by an article (`answer.Examples.recall`: the golden sets'
# tuning halves the no-answer model was fitted on), is evidence for that article. An article rises when
# such a question is closer to the query than any answered by the fusion's first RECALL_AMONG articles
# (and than RECALL_FLOOR): its score, scaled 0-1 over the candidates, gains RECALL_WEIGHT x the
# difference. Chosen on the tuning halves, each query judged without its own copy (docs/ranking.md,
# "Questions asked before"): of 1,442 answerable queries, 16 without their article in the top 3 before,
# 12 after; lifting every article over the floor alone left 13-15 and cost the lab set 2.
RECALL_WEIGHT = 8.0
RECALL_FLOOR = 0.8
RECALL_AMONG = 3


def with_recall(fused: Scores, recalled: Scores) -> Scores:
    """`fused` re-ordered by the questions asked before (`RECALL_WEIGHT`); unchanged when none lifts
    an article. Only the order is read from the result: the judge's scores stay (`Fusion.judge`)."""
    if not recalled or not fused:
        return fused
    first = heapq.nlargest(RECALL_AMONG, fused, key=fused.__getitem__)
    bar = max(RECALL_FLOOR, *(recalled.get(slug, 0.0) for slug in first))
    lift = {slug: RECALL_WEIGHT * (c - bar) for slug, c in recalled.items() if c > bar and slug in fused}
    if not lift:
        return fused
    low, high = min(fused.values()), max(fused.values())
    span = (high - low) or 1.0
    return {slug: (v - low) / span + lift.get(slug, 0.0) for slug, v in fused.items()}
