"""Would character bigrams be new evidence? A measurement, not part of the service (yet).

    .venv/bin/python bench/char_ngrams.py [CORPUS ...]

The linear fusion looks saturated with the evidence it has (docs/ranking.md). This script measures a
candidate for new evidence on `bench/relevance.py`'s corpora and indexes (`var/bench-index/`, built
by it): BM25 (k1 1.2, b 0.75) over character bigrams of each word ("#word#", title three times plus the
body), written here in a few lines of numpy because Whoosh has no such field in the index yet. Per
corpus it prints MRR@10 on each half for

- bigrams alone, and the e5 vectors alone (the index's passages, best per article);
- the shipped ranking (`fusion.Learned` over BM25F and the vectors) and the same plus the bigram
  scores: min-max(learned) + b * bigram / top bigram, `b` chosen on the tuning half from a grid and
  reported on the test half.

It answers whether integrating a bigram run (a Whoosh field, a candidate feature of `Learned`, a refit)
is worth its cost, without building it.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import collections  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from relevance import ensure_index, find_corpora, load_queries  # noqa: E402

from helpcenter.content.articles import load_articles  # noqa: E402
from helpcenter.search.answer import AnswerModel  # noqa: E402
from helpcenter.search.fusion import make_fusion  # noqa: E402
from helpcenter.search.plan import plan_search  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)


def bigrams(text: str) -> list[str]:
    out = []
    for word in re.findall(r"\w+", text.lower()):
        word = f"#{word}#"
        out += [word[i:i + 2] for i in range(len(word) - 1)]
    return out


def bm25(docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> tuple[sp.csc_matrix, dict[str, int]]:
    """Document x term matrix of BM25 impacts, and the term numbers."""
    vocab: dict[str, int] = {}
    df = collections.Counter(g for d in docs for g in set(d))
    lengths = np.array([len(d) for d in docs], float)
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        for g, tf in collections.Counter(d).items():
            idf = math.log(1 + (len(docs) - df[g] + 0.5) / (df[g] + 0.5))
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
            vals.append(idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / lengths.mean())))
    return sp.csc_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab))), vocab


def reciprocal_rank(scores: dict[str, float], expected: frozenset[str]) -> float:
    order = sorted(scores, key=lambda s: -scores[s])[:10]
    return next((1 / r for r, s in enumerate(order, 1) if s in expected), 0.0)


def measure(corpus: Path) -> None:
    index, _ = ensure_index(corpus, ROOT / "var" / "bench-index", False, lambda msg: None)
    searcher = Searcher(index, AnswerModel.neutral(index.encoder.name))
    articles = load_articles(corpus / "content").articles
    slugs = [a.slug for a in articles]
    matrix, vocab = bm25([bigrams((a.title + " ") * 3 + a.text) for a in articles])
    runs: dict[str, list] = collections.defaultdict(list)  # split -> (learned, bigram, vector, expected)
    for q in load_queries(corpus / "queries.jsonl"):
        plan = plan_search(index, q.q, q.lang, 10, "hybrid", None)
        evidence, phrases, facts = searcher.gather(plan)
        learned = make_fusion(None).fuse(evidence.keyword, evidence.vector, phrases, facts)
        ids = [vocab[g] for g in bigrams(q.q) if g in vocab]
        g = np.asarray(matrix[:, ids].sum(1)).ravel() if ids else np.zeros(len(slugs))
        top = np.argsort(-g)[:60]
        runs[q.split].append((learned, {slugs[i]: float(g[i]) for i in top if g[i] > 0},
                              dict(evidence.vector), q.expected))

    def with_bigrams(split: str, weight: float) -> float:
        total = 0.0
        for learned, grams, _, expected in runs[split]:
            lo, hi = min(learned.values(), default=0.0), max(learned.values(), default=1.0)
            top = max(grams.values(), default=1.0)
            scores = {s: (learned.get(s, lo) - lo) / (hi - lo + 1e-9) + weight * grams.get(s, 0.0) / top
                      for s in set(learned) | set(grams)}
            total += reciprocal_rank(scores, expected)
        return total / max(len(runs[split]), 1)

    def alone(split: str, which: int) -> float:
        return sum(reciprocal_rank(r[which], r[3]) for r in runs[split]) / max(len(runs[split]), 1)

    best = max(WEIGHTS, key=lambda w: with_bigrams("tune", w))
    for split in ("tune", "test"):
        print(f"{corpus.name:14} {split:5} {len(runs[split]):5d} | bigrams {alone(split, 1):.3f}  "
              f"dense {alone(split, 2):.3f} | learned {with_bigrams(split, 0.0):.3f}  "
              f"+bigrams (b={best}) {with_bigrams(split, best):.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*")
    args = ap.parse_args()
    print("MRR@10 per corpus and half; b chosen on the tuning half")
    for corpus in find_corpora(ROOT / "bench" / "corpora", args.corpora):
        measure(corpus)


if __name__ == "__main__":
    main()
