"""The as-you-type vocabulary: every word and phrase of the articles, with the keys to find it by a prefix.

Built with the index (`suggest.json` in the version directory) from titles, keywords, section headings
and the words of each article, each with its analyzed terms and a weight (how many articles use it,
titles and keywords counting more). Korean entries also carry their 2-beolsik keystrokes, so a
half-typed syllable (환ㅈ, 환저) or text typed in English layout (ghkswj) is a plain prefix of them, and
their initial consonants (choseong), for abbreviations such as ㅎㅈ. `SuggestVocab` answers the
lookups the suggester needs: prefix completions, initial-consonant matches, phrase prefixes and
typo-tolerant matches for Latin words.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import heapq
import json
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from helpcenter import languages
from helpcenter.content.articles import Article
from helpcenter.index.analysis import analyze, normalize, short_text_cache
from helpcenter.languages import LANGUAGES, hangul

log = logging.getLogger(__name__)

FORMAT = 3  # 2: "english"; 3: "english" as the hashes of `WordSet`
FIELD_BONUS = 2.0  # a word in a title, keyword or heading counts this much more than one in a body
# Words by script, on normalized text; the named group says whose.
_WORD_RE = re.compile("|".join(f"(?P<{lang.code}>{lang.word})" for lang in LANGUAGES))
script_of = languages.script_of  # "ko", "fa" or "en" by the first letter of a word


def _language_of(word: str) -> languages.Language:
    return languages.get(script_of(word))


@short_text_cache
def lookup_key(text: str) -> str:
    """The string prefixes are matched on: normalized, no spaces, Hangul as keystroke-level jamo.

    Keystroke jamo make 환ㅈ, 홙 and 환저 prefixes of 환전 (ㅎㅗㅏㄴㅈㅓㄴ); dropping spaces lets 비번찾 find
    "비번 찾기" and "cash o" find "cashout".
    """
    return hangul.decompose("".join(normalize(text).split()))


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # normalized surface form
    terms: tuple[str, ...]  # what the analyzer makes of it
    weight: float
    featured: bool  # used in a title, keyword or heading (initial-consonant matches consider only these)


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # normalized title, keyword or heading
    slug: str
    lang: str
    terms: tuple[str, ...]


# --- build -----------------------------------------------------------------------------------------

def _words_of(text: str) -> list[str]:
    return [m.group() for m in _WORD_RE.finditer(normalize(text))]


def build_vocabulary(articles: Iterable[Article], synonyms: Sequence[Sequence[tuple[str, ...]]] = ()) -> dict:
    """The suggestion vocabulary of `articles` as plain JSON-ready data (see `SuggestVocab`).

    Args:
        articles: the articles of every language.
        synonyms: the editors' synonym groups (analyzed); their terms become words too, so slang that no
            article uses (ویجر) is completed and then expanded to the articles' own words.
    """
    df: dict[str, int] = defaultdict(int)
    featured_df: dict[str, int] = defaultdict(int)
    phrases: dict[tuple[str, str, str], None] = {}
    for a in articles:
        featured_texts = [a.title, *a.keywords, *(s.heading for s in a.sections if s.heading)]
        featured = {w for t in featured_texts for w in _words_of(t)}
        body = set(_words_of(f"{a.summary}\n{a.text}")) | featured
        for w in body:
            df[w] += 1
        for w in featured:
            featured_df[w] += 1
        for t in featured_texts:
            norm = " ".join(normalize(t).split())
            if norm:
                phrases[(norm, a.slug, a.lang)] = None
    words: dict[str, list] = {}
    for w, n in df.items():
        terms = analyze(w)
        if not terms:  # a stop word or a particle alone: nothing to search for
            continue
        words[w] = [w, list(terms), float(n + FIELD_BONUS * featured_df.get(w, 0)), w in featured_df]
    # Korean morphemes as words too: the stem 까먹 completes 까머 even where only 까먹음 was written.
    for w, n in list(df.items()):
        if not _language_of(w).morphemes:
            continue
        for t in analyze(w):
            if t not in words and _language_of(t).morphemes:
                words[t] = [t, [t], float(n), w in featured_df]
            elif t in words and t != w:
                words[t][2] = max(words[t][2], float(n))
    for group in synonyms:
        for entry in group:
            for t in entry:
                if t not in words:
                    words[t] = [t, [t], 1.0, True]
    return {
        "format": FORMAT,
        "words": sorted(words.values(), key=lambda r: r[0]),
        "phrases": [[text, slug, lang, list(analyze(text))] for text, slug, lang in phrases],
        # the hashes, not the words: a worker splitting 127k words to hash them held ~8 MB more for good
        "english": base64.b64encode(WordSet(english_words()).to_bytes()).decode("ascii"),
    }


def save_vocabulary(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def read_vocabulary(path: Path) -> SuggestVocab:
    """Load `suggest.json`; an index built before it existed gets an empty vocabulary (suggest still works)."""
    if not path.exists():
        log.warning("%s missing: suggestions fall back to plain search; run `kb build`", path)
        return SuggestVocab({"format": FORMAT, "words": [], "phrases": []})
    return SuggestVocab(json.loads(path.read_text(encoding="utf-8")))


# --- lookups ---------------------------------------------------------------------------------------

class _PrefixTable:
    """Sorted (key, item) pairs; the best items whose key starts with a prefix, by weight."""

    def __init__(self, pairs: Iterable[tuple[str, int]], weight: Sequence[float]) -> None:
        pairs = sorted(set(pairs))
        self.keys = [k for k, _ in pairs]
        self.items = [i for _, i in pairs]
        self._weight = weight
        self.lookup = lru_cache(maxsize=8192)(self._lookup)

    def _lookup(self, prefix: str, limit: int) -> tuple[int, ...]:
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\U0010ffff")
        found = dict.fromkeys(self.items[lo:hi])  # one item may have several keys
        return tuple(heapq.nlargest(limit, found, key=lambda i: (self._weight[i], -i)))

    def count(self, prefix: str) -> int:
        return bisect.bisect_left(self.keys, prefix + "\U0010ffff") - bisect.bisect_left(self.keys, prefix)


def _hash64(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class WordSet:
    """Membership in a long word list without a Python string per word: its words' sorted 64-bit hashes.

    pyspellchecker's 127k English words take 1 MB so instead of 11.5 MB as a frozenset, in every
    worker; two words sharing a hash, which would make one of them look known, is a chance of about
    one in a billion over the whole list."""

    def __init__(self, words: Iterable[str]) -> None:
        self._hashes = np.unique(np.fromiter((_hash64(w) for w in words if w), dtype=np.uint64))

    def to_bytes(self) -> bytes:
        """The sorted hashes, little-endian: what `from_bytes` reads back (no word is kept)."""
        return self._hashes.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> WordSet:
        ws = cls(())
        ws._hashes = np.frombuffer(data, dtype="<u8").astype(np.uint64)
        return ws

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        h = np.uint64(_hash64(word))
        i = int(np.searchsorted(self._hashes, h))
        return i < len(self._hashes) and self._hashes[i] == h

    def __len__(self) -> int:
        return len(self._hashes)


class SuggestVocab:
    """Read-only lookups over the vocabulary built by `build_vocabulary`.

    Words are found by the prefix of their `lookup_key` (any script; Korean by keystrokes), Korean words
    of titles and keywords also by their initial consonants; phrases (titles, keywords, headings) by the
    prefix of their key and by their initial consonants. Latin words also have typo-tolerant matching.
    """

    def __init__(self, data: dict) -> None:
        self.words = [Word(w, tuple(t), float(n), bool(f)) for w, t, n, f in data.get("words", [])]
        self.phrases = [Phrase(text, slug, lang, tuple(t)) for text, slug, lang, t in data.get("phrases", [])]
        self.by_text = {w.text: i for i, w in enumerate(self.words)}
        self.terms = frozenset(t for w in self.words for t in w.terms)
        weight = [w.weight for w in self.words]
        self._words = _PrefixTable(((lookup_key(w.text), i) for i, w in enumerate(self.words)), weight)
        self._choseong = _PrefixTable(((hangul.choseong(w.text), i) for i, w in enumerate(self.words)
                                       if w.featured and _language_of(w.text).initials), weight)
        keys = [lookup_key(p.text) for p in self.phrases]
        plen = [1.0 / max(1, len(k)) for k in keys]  # shorter phrases first
        self._phrases = _PrefixTable(((k, i) for i, k in enumerate(keys)), plen)
        # no text whose key is longer begins a phrase (`phrases_with_prefix`)
        self.longest_phrase_key = max(map(len, keys), default=0)
        self._phrase_cho = _PrefixTable(((hangul.choseong(p.text), i) for i, p in enumerate(self.phrases)
                                         if _language_of(p.text).initials), plen)
        self._latin = [w.text for w in self.words if _language_of(w.text).spelling]
        self._latin_prefixes: dict[int, list[str]] = {}
        # common English words, from the build's dictionary: the server does not load pyspellchecker
        self.english = WordSet.from_bytes(base64.b64decode(data.get("english", "")))
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.words)

    def known(self, word: str) -> bool:
        """True when `word` (normalized) is a word of the articles."""
        return word in self.by_text

    def complete(self, prefix: str, limit: int = 8) -> list[Word]:
        """The heaviest words starting with `prefix` (matched on `lookup_key`, so jamo and layout-free)."""
        key = lookup_key(prefix)
        if not key:
            return []
        return [self.words[i] for i in self._words.lookup(key, limit)]

    def completions_count(self, prefix: str) -> int:
        key = lookup_key(prefix)
        return self._words.count(key) if key else 0

    def by_choseong(self, consonants: str, limit: int = 8) -> list[Word]:
        """Title and keyword words whose initial consonants start with `consonants` (ㅎㅈ → 환전)."""
        key = hangul.choseong(consonants)
        return [self.words[i] for i in self._choseong.lookup(key, limit)] if key else []

    def phrases_with_prefix(self, text: str, limit: int = 20) -> list[Phrase]:
        """Titles, keywords and headings that start with `text` (spaces ignored: 비번찾 → 비번 찾기)."""
        key = lookup_key(text)
        return [self.phrases[i] for i in self._phrases.lookup(key, limit)] if key else []

    def phrases_by_choseong(self, consonants: str, limit: int = 20) -> list[Phrase]:
        """Korean titles, keywords and headings whose initial consonants start with `consonants`."""
        key = hangul.choseong(consonants)
        return [self.phrases[i] for i in self._phrase_cho.lookup(key, limit)] if key else []

    # -- typo tolerance (Latin words) -------------------------------------------------------------

    def _prefixes_of_length(self, n: int) -> list[str]:
        with self._lock:
            if n not in self._latin_prefixes:
                self._latin_prefixes[n] = sorted({w[:n] for w in self._latin if len(w) >= n})
            return self._latin_prefixes[n]

    def correct(self, word: str, limit: int = 3) -> list[Word]:
        """Words within the allowed edits of a Latin `word` that is not itself a word of the articles.

        One edit (insert, delete, substitute, swap two neighbours) from 4 letters, two from 8; fewer
        edits first, then heavier words. Returns [] for a short word, a word of the articles and a common
        English word ("came" stays "came").
        """
        word = normalize(word)
        edits = max_edits(word)
        if not edits or self.known(word) or word in self.english:
            return []
        found = process.extract(word, self._latin, scorer=OSA.distance, score_cutoff=edits, limit=None)
        ranked = sorted(found, key=lambda m: (m[1], -self.words[self.by_text[m[0]]].weight, m[0]))
        return [self.words[self.by_text[m[0]]] for m in ranked[:limit]]

    def complete_fuzzy(self, prefix: str, limit: int = 5) -> list[Word]:
        """Completions of a Latin `prefix` that has a typo in it ("acou" → account, accounts).

        Compares the prefix with the first n-1, n and n+1 letters of every word, within `max_edits`.
        """
        prefix = normalize(prefix)
        edits = max_edits(prefix)
        if not edits or prefix in self.english:
            return []
        best: dict[str, int] = {}
        for n in (len(prefix) - 1, len(prefix), len(prefix) + 1):
            for p, dist, _ in process.extract(prefix, self._prefixes_of_length(n), scorer=OSA.distance,
                                              score_cutoff=edits, limit=None):
                best[p] = min(dist, best.get(p, edits + 1))
        out: list[tuple[int, float, Word]] = []
        for p, dist in best.items():
            for w in self.complete(p, limit):
                out.append((dist, -w.weight, w))
        out.sort(key=lambda x: (x[0], x[1], x[2].text))
        return list(dict.fromkeys(w for _, _, w in out))[:limit]


DICTIONARY_MIN_COUNT = 20  # occurrences in pyspellchecker's English frequency list for a word to count as real


def english_words() -> frozenset[str]:
    """Common English words of 4+ letters, from pyspellchecker's frequency list (at build time; the
    vocabulary keeps them as `SuggestVocab.english`).

    A word found here is fine as typed even when no article uses it: "came" is not a typo of "game".
    """
    from spellchecker import SpellChecker

    freq = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(w for w, n in freq.items() if n >= DICTIONARY_MIN_COUNT and len(w) >= 4 and w.isalpha())


def max_edits(word: str) -> int:
    """Edits tolerated in a typed word: none below 4 letters, one from 4, two from 8."""
    n = len(word)
    return 2 if n >= 8 else 1 if n >= 4 else 0
