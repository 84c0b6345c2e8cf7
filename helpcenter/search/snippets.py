"""Snippets: the window of a section's text with the most query words, and the spans to mark them."""
from __future__ import annotations

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
    spans = tuple((starts[i] - best_start + len(prefix), ends[i] - best_start + len(prefix))
                  for i in matched if best_start <= starts[i] and ends[i] <= end)
    return prefix + snippet + suffix, spans
