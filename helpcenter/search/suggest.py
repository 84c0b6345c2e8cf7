"""As-you-type suggestions: the plan of a partial query, read as players type it, ranked as search is.

`plan_suggest` reads what is on screen (`reading.read_query`) and decides whether the encoder reads it
on this keystroke (`vector_text`); `Searcher.run` ranks the plan like any other, so a suggestion answers
in the shape of search.
"""
from __future__ import annotations

import logging

from helpcenter import languages
from helpcenter.content.redact import redact
from helpcenter.index.analysis import normalize
from helpcenter.index.versions import Index
from helpcenter.index.vocabulary import lookup_key
from helpcenter.search.plan import QueryPlan
from helpcenter.search.reading import Reading, asked_of_reading, asks_nothing, read_query, what_is_asked

log = logging.getLogger(__name__)

VECTOR_MIN_KEYS = 3  # shorter prefixes never run the encoder
# from `Language.description_words` finished words, the encoder reads them while the reader types
VECTOR_MAX_WORDS = 24  # past this, a ticket description runs the encoder only once settled (cost grows per token)
# ...and re-reads it at these multiples of that many words only (en: 6, 9, 12, 18, 24 words), each
# reading serving the keystrokes up to the next: a 24-word ticket costs 5 encodes instead of 19
# (kb eval --prefix unchanged)
DESCRIPTION_MARKS = {lang.code: tuple(round(lang.description_words * f) for f in (1, 1.5, 2, 3, 4))
                     for lang in languages.LANGUAGES}


def plan_suggest(index: Index, query: str, lang: str, limit: int, settled: bool = False,
                 fusion: str | None = None) -> QueryPlan:
    """The plan of a suggestion for the text on screen (answered in search's shape).

    Args:
        query: the reader's text as typed so far; a trailing space marks the last word as finished.
        lang: the reader's language.
        limit: the most results to return.
        settled: the reader stopped typing (Enter, a pause, the ticket sent): rank as thoroughly as search.
        fusion: another fusion than the default, for evaluation (`kb eval --prefix --fusion`).
    """
    asked = what_is_asked(query)
    reading = read_query(asked, lang, index.suggest)
    if settled and asked[-1:].strip():
        reading = _settled_reading(asked, lang, index, reading)
    finished = settled or asked[-1:].isspace()  # no word is still being typed
    if finished and (plain := asked_of_reading(asked, reading.text)) != reading.text:
        # what it reads as opens or closes with courtesies (Finglish salam … lotfan, a face after one): the
        # rest read again, its words finished ones, as search reads them (`plan.plan_search`)
        asked = plain + " "
        reading = read_query(asked, lang, index.suggest)
    if reading.rewrites:
        log.debug("suggest %r read as %r (%s)", redact(query), redact(reading.text), ", ".join(reading.rewrites))
    return QueryPlan(query.strip(), lang, limit, reading.terms, reading.weighted,
                     index.synonyms.alternatives(reading.terms, index.keyword.has), reading.phrases,
                     encode=vector_text(asked, reading, settled, found=True, lang=lang),
                     encode_if_nothing=vector_text(asked, reading, settled, found=False, lang=lang), fusion=fusion,
                     asked=asked.strip(), settled=settled,
                     # a word still being typed may become a question ("no" on the way to "no deposit bonus")
                     asks=not (finished and asks_nothing(asked, reading.text, reading.terms)))


def _settled_reading(query: str, lang: str, index: Index, reading: Reading) -> Reading:
    """The reader stopped typing: a last word that `reading` could not complete (passw → password; a
    reader stops mid-word too: "self excl") is read as finished, where the rules for finished words
    rewrite it (a layout, a respelling, a typo: صهفایقشص → withdraw, 재설졍 → 재설정), as search reads it."""
    def last(text: str) -> str:
        return normalize(text.split()[-1]) if text.split() else ""

    typed = last(query)
    if last(reading.text) != typed:
        return reading
    whole = read_query(query + " ", lang, index.suggest)
    return whole if last(whole.text) != typed else reading


def vector_text(raw: str, reading: Reading, settled: bool, found: bool, lang: str) -> str | None:
    """What the encoder reads for this keystroke, or None to rank without it (`found`: whether the
    keyword run or best bets found anything).

    The encoder costs 3–13 ms a query of 6–27 tokens on the 2-core machine (`bench/encoder_kernel.py`),
    about ten times the rest of a suggestion. While a short query is typed, the completion of the word being typed, keywords and best
    bets rank as well without it (`kb eval --prefix`). It reads the query once the reader settles (the
    search box's pause, Enter, the ticket sent) or, at a finished word, when nothing else found anything.
    From `Language.description_words` finished words on, the text is a description of the problem, which keywords
    read poorly: the encoder reads the finished words up to the last of `DESCRIPTION_MARKS` (embedded
    once per machine: the query caches), up to `VECTOR_MAX_WORDS` of them until the reader settles.
    """
    if not reading.text.strip() or len(lookup_key(raw)) < VECTOR_MIN_KEYS:
        return None
    if settled or (not found and raw[-1:].isspace() and len(raw.split()) <= VECTOR_MAX_WORDS):
        return reading.text
    words = (reading.text if raw[-1:].isspace() else reading.finished).split()
    if DESCRIPTION_MARKS[lang][0] <= len(words) <= VECTOR_MAX_WORDS:
        return " ".join(words[:max(m for m in DESCRIPTION_MARKS[lang] if m <= len(words))])
    return None
