"""Search time on a large index: a partial sort of the scores (`ranking.top`) against a full one.

    .venv/bin/python bench/search_scale.py [CORPUS] [--queries 40] [--rounds 3]

Opens (building it first if needed) the index of a public corpus from `bench/corpora/` (default
`chatbot-ko`, 7,753 articles) as `bench/relevance.py` does, warms the encoder's query cache with its first
queries, then times hybrid searches with `ranking.top` as shipped and with a full sort in its place,
alternating rounds in the same run. Prints ms a search for each.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import relevance  # noqa: E402

from helpcenter.search import ranking  # noqa: E402
from helpcenter.search.answer import AnswerModel  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default="chatbot-ko")
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    corpus = relevance.find_corpora(relevance.ROOT / "bench" / "corpora", [args.corpus])[0]
    index, _ = relevance.ensure_index(corpus, relevance.ROOT / "var" / "bench-index", False, print)
    searcher = Searcher(index, AnswerModel.neutral(index.encoder.name))
    queries = relevance.load_queries(corpus / "queries.jsonl")[:args.queries]
    for q in queries:  # the encoder's cache: what is timed is the searcher, not the model
        searcher.search(q.q, q.lang)
    partial, full = ranking.top, (lambda scores, n: ranking.ranked(scores)[:n])
    times: dict[str, list[float]] = {"partial sort (ranking.top)": [], "full sort": []}
    for _ in range(args.rounds):
        for name, top in zip(times, (partial, full)):
            ranking.top = top
            started = time.perf_counter()
            for q in queries:
                searcher.search(q.q, q.lang)
            times[name].append((time.perf_counter() - started) / len(queries) * 1000)
    ranking.top = partial
    print(f"{corpus.name}: {len({a.slug for a in index.articles.values()})} articles, {len(queries)} queries, "
          f"{args.rounds} alternating rounds")
    for name, ms in times.items():
        print(f"  {name:28} ms a search: " + " / ".join(f"{m:.1f}" for m in ms))


if __name__ == "__main__":
    main()
