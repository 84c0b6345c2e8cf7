"""Text analysis shared by indexing and querying: one normalizer, then each script run to its language.

Every text goes through `normalize` (Unicode NFKC, each language's normalization, lower case) whatever
its language, then is cut into runs of one script, each analyzed by the language of that script
(`helpcenter.languages`): Hangul by Kiwi into content morphemes, Arabic script as Persian words with
light suffix stemming, Latin and digits as English words, stop-worded and Porter-stemmed.
`ANALYZER_CONFIG` describes all of this and is saved in the index manifest, so a query is analyzed
exactly as the documents were.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from whoosh.analysis import Token, Tokenizer

from helpcenter.languages import BY_CODE, LANGUAGES

log = logging.getLogger(__name__)

T = TypeVar("T")
SHORT_TEXT = 80  # characters: texts up to this long are cached by `short_text_cache` functions


def short_text_cache(fn: Callable[[str], T]) -> Callable[[str], T]:
    """Cache `fn`'s results for short texts (queries, words: as-you-type repeats them on every keystroke);
    longer ones (article texts) are computed each time and never held."""
    cached = lru_cache(maxsize=16384)(fn)

    @functools.wraps(fn)
    def call(text: str) -> T:
        return cached(text) if len(text) <= SHORT_TEXT else fn(text)

    return call


@short_text_cache
def normalize(text: str) -> str:
    """Normalize any text: NFKC, then each language's share (Persian letters, digits and half-spaces:
    `languages.fa.normalize`), then lower case."""
    text = unicodedata.normalize("NFKC", text)
    for step in _NORMALIZERS:
        text = step(text)
    return text.lower()


# --- Script runs -----------------------------------------------------------------------------------

_NORMALIZERS = tuple(lang.normalize for lang in LANGUAGES if lang.normalize is not None)
# One run of one language's script; the named group says which language analyzes it.
_RUN_RE = re.compile("|".join(f"(?P<{lang.code}>{lang.run})" for lang in LANGUAGES))

ANALYZER_CONFIG = {
    "name": "multilingual",
    "version": 9,  # 6: English irregular forms (en.IRREGULAR); 7: English -n't read as "not"; 8: w/d; 9: en.FAMILIES, 그만하, -어지다 joined
    "normalizer": "nfkc+persian(yeh,keheh,digits,diacritics,tatweel,zwnj-join)+lower",
    "languages": {lang.code: lang.analyzer for lang in LANGUAGES},
    # `char_bigrams`: the bigram run's terms, indexed for the articles of these languages
    "grams": {"terms": "char-bigrams(#word#)", "languages": [lang.code for lang in LANGUAGES if lang.bigram_run]},
}


@dataclass(frozen=True)
class Term:
    text: str
    start: int  # offsets into the *normalized* text
    end: int


def analyze_terms(text: str) -> list[Term]:
    """Analyze text into index terms with offsets into `normalize(text)`."""
    norm = normalize(text)
    out: list[Term] = []
    for m in _RUN_RE.finditer(norm):
        base = m.start()
        out.extend(Term(t, base + s, base + e) for t, s, e in BY_CODE[m.lastgroup].analyze_run(m.group()))
    return out


@short_text_cache
def analyze(text: str) -> tuple[str, ...]:
    """The index terms of `text`, in order."""
    return tuple(t.text for t in analyze_terms(text))


_GRAM_WORD_RE = re.compile(r"\w+")


@short_text_cache
def char_bigrams(text: str) -> tuple[str, ...]:
    """The character bigrams of each word of `normalize(text)`, the word marked at both ends ("#word#":
    "#w", "wo", "or", "rd", "d#"): the terms of the bigram run, which matches what morphemes and stems
    miss (a Korean paraphrase's other ending, a typo, a word the stemmer cut otherwise) in any script,
    without an analyzer (docs/ranking.md, "Character bigrams")."""
    out: list[str] = []
    for m in _GRAM_WORD_RE.finditer(normalize(text)):
        word = f"#{m.group()}#"
        out.extend(word[i:i + 2] for i in range(len(word) - 1))
    return tuple(out)


WORD_RE = re.compile(r"\S+")  # a word, as snippets cut and mark them


def word_terms(text: str) -> str:
    """The index terms of each word of `text` (`WORD_RE`), analyzed one word at a time, as one compact
    string: words apart by a tab, a word's terms apart by a space (terms hold neither). Saved with the
    index for the texts snippets are cut from, so a query marks 환전이 for 환전 without running Kiwi."""
    return "\t".join(" ".join(analyze(m.group())) for m in WORD_RE.finditer(text))


class _TermTokenizer(Tokenizer):
    """A stateless Whoosh tokenizer (so it pickles into the index schema) yielding `terms(value)`."""

    @staticmethod
    def terms(value: str) -> Iterable[Term]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self.terms(value) if tokenize else [Term(value, 0, len(value))]
        for i, term in enumerate(terms):
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term.text
            if positions:
                token.pos = start_pos + i
            if chars:
                token.startchar = start_char + term.start
                token.endchar = start_char + term.end
            yield token


class MultilingualTokenizer(_TermTokenizer):
    """Whoosh tokenizer running `analyze_terms`."""

    terms = staticmethod(analyze_terms)


def whoosh_analyzer() -> MultilingualTokenizer:
    return MultilingualTokenizer()


class BigramTokenizer(_TermTokenizer):
    """Whoosh tokenizer running `char_bigrams` (no offsets: the bigram field is only scored)."""

    @staticmethod
    def terms(value: str) -> Iterable[Term]:
        return (Term(gram, 0, 0) for gram in char_bigrams(value))
