"""Text analysis shared by indexing and querying: one normalizer, then per-script tokenization.

Every text goes through `normalize` (Unicode NFKC, Persian/Arabic normalization, digits to ASCII,
lower case) whatever its language, then is cut into script runs: Hangul runs are analyzed by Kiwi
into content morphemes (particles and endings dropped), Arabic-script runs are Persian words with
light suffix stemming, Latin and digit runs are English words, stop-worded and Porter-stemmed.
`ANALYZER_CONFIG` describes all of this and is saved in the index manifest, so a query is analyzed
exactly as the documents were.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem

log = logging.getLogger(__name__)

# --- Persian / Arabic-script normalization -------------------------------------------------------

_CHAR_MAP = str.maketrans({
    "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
    "\u0649": "\u06cc",  # alef maksura -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c0": "\u0647",  # heh with yeh above -> heh
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # hamza/wasla alefs -> alef
    "\u0624": "\u0648",  # waw with hamza -> waw
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    "\u066b": ".", "\u066c": ",", "\u060c": ",", "\u061f": "?", "\u061b": ";",
})
# Diacritics (harakat, superscript alef), tatweel, bidi controls and other invisible marks vanish.
_THOUSANDS_RE = re.compile(r"(?<=\d)[,\u066c](?=\d{3}(?!\d))")
_DROP_RE = re.compile("[\u064b-\u065f\u0670\u0640\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
# Everything that people type for a half-space becomes one ZWNJ first.
_HALF_SPACE_RE = re.compile("[\u200c\u200b\u200d\u00ac\u2009\u202f]+")
_PREFIX_RE = re.compile(r"(?<![\w\u200c])(ن?می|ن?مي)[ \u200c]+(?=[\u0600-\u06ff])")
_SUFFIXES = ("هایی", "های", "ها", "ترین", "تر", "تان", "شان", "مان", "ام", "ات", "اش", "ای")
_SUFFIX_RE = re.compile(
    r"(?<=[\u0600-\u06ff])[ \u200c]+(" + "|".join(_SUFFIXES) + r")(?![\w\u200c])")


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
    """Normalize any text: NFKC, Persian letters and digits, half-space variants joined, lower case.

    The three ways of writing a Persian word with a prefix or suffix (ZWNJ, no space, a space:
    می‌خواهم / میخواهم / می خواهم) come out identical, as do Arabic and Persian letter variants.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_CHAR_MAP)
    text = _THOUSANDS_RE.sub("", text)
    text = _DROP_RE.sub("", text)
    text = _HALF_SPACE_RE.sub("\u200c", text)
    text = _PREFIX_RE.sub(r"\1", text)
    text = _SUFFIX_RE.sub(r"\1", text)
    text = text.replace("\u200c", "")
    return text.lower()


_FA_STOP = frozenset("""
و در به از که این را با است برای آن یک تا هم یا اگر شما من ما او آنها ها های هست بود شود شده
کنید کنم کند کرد کردم کردن میشود میشه چه چی چرا کجا کی چطور چگونه نیز بر پس اما ولی باید
خود همه هر دیگر روی وقتی بعد قبل دارم دارید دارد داره هستم هستید نه بله لطفا سلام ای ام اش
""".split())
_FA_STRIP = ("هایی", "های", "ها", "ترین", "تان", "شان")


# Spoken Persian marks the object with -o after a possessive: پولمو (my money), تیکتمو (my ticket).
_FA_COLLOQUIAL = ("مو", "تو", "شو")


def persian_stem(word: str) -> str:
    """Strip one plural/possessive suffix when enough letters remain (light and predictable).

    Plural and plural-possessive suffixes need three letters left; the spoken object ending -مو/-تو/-شو
    and a possessive -م ("my", also the 1st person verb ending) need four, so short words keep their ending.
    """
    for suffix in _FA_STRIP:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    for suffix in _FA_COLLOQUIAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("م") and len(word) >= 5:
        return word[:-1]
    return word


# --- English ---------------------------------------------------------------------------------------

_EN_STOP = frozenset("""
a an and are as at be by for from has have i in is it its of on or that the this to was were will
with my me we you your our do does did can could would should am been being he she they them their
there here what which who whom how when where why if so than then too very just into about
""".split())
# "not", "no" and "without" stay: "withdrawal not received" differs from "withdrawal received".


def english_stem(word: str) -> str:
    return porter_stem(word) if word.isalpha() else word


# --- Korean ----------------------------------------------------------------------------------------

# Content morphemes: common/proper nouns, numerals, verb and adjective stems (Kiwi marks regular/
# irregular conjugation with -R/-I), roots, foreign words, hanja and numbers. Particles (J*),
# endings (E*), suffixes (XS*), adverbs and dependent nouns are dropped.
KO_KEEP_TAGS = ("NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN")
KIWI_OPTIONS = {"load_typo_dict": False, "load_multi_dict": False, "load_default_dict": False}
_KO_STOP = frozenset({"하", "되", "있", "것", "수", "등", "때", "좀", "이", "그", "저", "않", "주"})
_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """The process-wide Kiwi analyzer (its model ships in the kiwipiepy-model package)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi
                # Without the typo and multi-word dictionaries Kiwi takes ~300 MB instead of ~490 MB per
                # process; kb eval is unchanged without them (players' misspellings go to `keywords`).
                # no thread pool (it only serves batch calls, which we never make), so that a process
                # may load it and fork: gunicorn's master does, and its workers share the model
                with warnings.catch_warnings():  # 0 means one thread since 0.21, which is what we want
                    warnings.filterwarnings("ignore", "behavior of `num_workers=0`", DeprecationWarning)
                    k = Kiwi(num_workers=0, **KIWI_OPTIONS)
                k.tokenize("환전 준비")  # the first call loads lazily; pay it at start-up, not per query
                _kiwi = k
    return _kiwi


def _korean_terms(run: str) -> list[tuple[str, int, int]]:
    out = []
    for tok in kiwi().tokenize(run):
        tag = tok.tag.split("-")[0]
        if tag not in KO_KEEP_TAGS:
            continue
        form = tok.form.lower()
        if tag == "SL":
            if form in _EN_STOP:
                continue
            form = english_stem(form)
        elif form in _KO_STOP:
            continue
        out.append((form, tok.start, tok.start + tok.len))
    return out


# --- Script runs -----------------------------------------------------------------------------------

_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_RUN_RE = re.compile(
    rf"(?P<ko>[{_HANGUL}][{_HANGUL}0-9a-z ]*[{_HANGUL}]|[{_HANGUL}])"
    r"|(?P<fa>[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0622]+)"
    r"|(?P<en>[a-z0-9]+)"
)

ANALYZER_CONFIG = {
    "name": "multilingual",
    "version": 4,
    "normalizer": "nfkc+persian(yeh,keheh,digits,diacritics,tatweel,zwnj-join)+lower",
    "korean": {"engine": "kiwipiepy", "options": KIWI_OPTIONS, "keep_tags": list(KO_KEEP_TAGS),
               "stop": sorted(_KO_STOP)},
    "persian": {"stem_suffixes": list(_FA_STRIP), "colloquial": list(_FA_COLLOQUIAL), "possessive_m_min": 5,
                "stop_count": len(_FA_STOP)},
    "english": {"stemmer": "porter", "stop_count": len(_EN_STOP)},
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
        kind, run, base = m.lastgroup, m.group(), m.start()
        if kind == "ko":
            out.extend(Term(t, base + s, base + e) for t, s, e in _korean_terms(run))
        elif kind == "fa":
            if run not in _FA_STOP:
                stem = persian_stem(run)
                if stem not in _FA_STOP:
                    out.append(Term(stem, base, m.end()))
        elif run not in _EN_STOP:
            out.append(Term(english_stem(run), base, m.end()))
    return out


@short_text_cache
def analyze(text: str) -> tuple[str, ...]:
    """The index terms of `text`, in order."""
    return tuple(t.text for t in analyze_terms(text))


WORD_RE = re.compile(r"\S+")  # a word, as snippets cut and mark them


def word_terms(text: str) -> str:
    """The index terms of each word of `text` (`WORD_RE`), analyzed one word at a time, as one compact
    string: words apart by a tab, a word's terms apart by a space (terms hold neither). Saved with the
    index for the texts snippets are cut from, so a query marks 환전이 for 환전 without running Kiwi."""
    return "\t".join(" ".join(analyze(m.group())) for m in WORD_RE.finditer(text))


class MultilingualTokenizer(Tokenizer):
    """Whoosh tokenizer running `analyze_terms`; stateless, so it pickles into the index schema."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = analyze_terms(value) if tokenize else [Term(value, 0, len(value))]
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


def whoosh_analyzer() -> MultilingualTokenizer:
    return MultilingualTokenizer()
