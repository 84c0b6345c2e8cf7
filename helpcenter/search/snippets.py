"""Snippets: the window of a section's text with the most query words, and the spans to mark them."""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

from helpcenter.index.analysis import WORD_RE, analyze


@lru_cache(maxsize=8192)
def _words_of(text: str, words: str | None) -> tuple[tuple[int, ...], tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The start and end of each word of `text`, and for each index term the words that analyze to it
    (section texts repeat: cached). `words`: the index's `word_terms(text)`, else each word is analyzed
    here. One dict of tuples a text: a frozenset per word of every section shown once made the garbage
    collector's full collections slow."""
    spans = [m.span() for m in WORD_RE.finditer(text)]
    per_word = words.split("\t") if words is not None else []
    if len(per_word) != len(spans):  # not given (or not this text's): analyze here
        per_word = [" ".join(analyze(text[s:e])) for s, e in spans]
    where: dict[str, list[int]] = {}
    for i, terms in enumerate(per_word):
        for t in terms.split():
            where.setdefault(t, []).append(i)
    return (tuple(s for s, _ in spans), tuple(e for _, e in spans), {t: tuple(ix) for t, ix in where.items()})


def is_letter(ch: str) -> bool:
    """A character of a word's letters: letters, combining marks, digits, and the joiners Persian writes
    inside words (ZWNJ, ZWJ); quotes, commas, brackets and other punctuation are not."""
    return unicodedata.category(ch)[0] in "LMN" or ch in "\u200c\u200d"


def pieces(word: str) -> list[tuple[int, int]]:
    """The runs of letters in a `WORD_RE` word (which is anything between spaces): `"Pending",` has one,
    `출금'하는` two, `نشد،` one."""
    out: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(word):
        if is_letter(ch):
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(word)))
    return out


@lru_cache(maxsize=4096)
def _piece_terms(piece: str) -> frozenset[str]:
    return frozenset(analyze(piece))


def mark_spans(word: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """What to mark in a matched word (offsets into `word`): its letters, not the quotes and commas
    around them, and when punctuation splits it, only the pieces the query matched (`출금'하는` for 출금
    marks 출금). Consecutive matched pieces are marked as one (`self-exclusion` for both words).

    Only a word with punctuation inside is analyzed again, piece by piece (cached); when no piece
    matches alone (a term only the whole word makes), all its letters are marked.
    """
    runs = pieces(word)
    if len(runs) <= 1:
        return runs or [(0, len(word))]
    hit = [bool(_piece_terms(word[s:e]) & terms) for s, e in runs]
    if not any(hit):
        return [(runs[0][0], runs[-1][1])]
    out: list[tuple[int, int]] = []
    for (s, e), matched, before in zip(runs, hit, [False, *hit]):
        if not matched:
            continue
        if before:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def make_snippet(text: str, terms: Iterable[str], width: int = 180,
                 words: str | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The window of `text` holding the most query terms, with the spans of the matched words.

    Words are matched by their terms as the index analyzed them, so 환전이 highlights for 환전.
    `words` is `helpcenter.index.analysis.word_terms(text)` when the index saved it (otherwise computed here).
    """
    # cached: as-you-type asks for the same section and terms on many keystrokes (a tuple of strings,
    # unlike a frozenset, is not tracked by the garbage collector)
    return _snippet(text, tuple(sorted(set(terms))), width, words)


@lru_cache(maxsize=8192)
def _snippet(text: str, term_list: tuple[str, ...], width: int,
             words: str | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    starts, ends, where = _words_of(text, words)
    if not starts:
        return "", ()
    matched = sorted({i for t in term_list for i in where.get(t, ())})
    best_start = 0
    if matched:
        # the matched word whose window [start, start+width) covers the most matches
        best_count = -1
        for i in matched:
            start = max(0, starts[i] - 30)
            count = sum(1 for j in matched if start <= starts[j] < start + width)
            if count > best_count:
                best_start, best_count = start, count
        # snap to a word boundary: the last word starting at or before it
        best_start = starts[max(0, bisect_right(starts, best_start) - 1)] if starts[0] <= best_start else 0
    end = best_start + width
    if end < len(text):
        k = bisect_right(ends, end)  # words ending at or before `end`
        end = ends[k - 1] if k else end
    snippet = text[best_start:end].replace("\n", " ")
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - best_start
    term_set = frozenset(term_list)
    spans = tuple((starts[i] + s + shift, starts[i] + e + shift)
                  for i in matched if best_start <= starts[i] and ends[i] <= end
                  for s, e in mark_spans(text[starts[i]:ends[i]], term_set))
    return prefix + snippet + suffix, spans
