"""The reader's language from one message, for channels where nobody picks a language (messengers).

A message's script says most: the languages that own a script (`Language.owns`: Hangul for Korean,
Persian/Arabic letters for Persian) are asked in the registry's order, so a message with any Hangul is
Korean even when it quotes a Persian word, and one with Persian letters is Persian. Text in Latin letters
only is English (`DEFAULT`) unless it reads as Finglish, Persian typed in Latin letters
(`finglish.looks_finglish`), which is Persian.

Everything is read after NFKC, so Arabic presentation forms (ﻻ, ﺏ) and full-width Latin count as the
letters they stand for; only the first `SCAN_CHARS` characters are looked at.
"""
from __future__ import annotations

import logging
import unicodedata
from collections.abc import Container

from helpcenter.languages import DEFAULT, LANGUAGES, finglish

log = logging.getLogger(__name__)

SCAN_CHARS = 2000  # a message longer than this is judged by its beginning (bounded work per message)
FINGLISH = "fa"  # the language Finglish is written in (Persian typed on Latin keys)
_CLAIMING = tuple(lang for lang in LANGUAGES if lang.owns is not None)  # in registry order: its precedence


def script_language(text: str) -> str | None:
    """The code of the first language (in registry order) that owns a letter of `text`; None when its
    letters are all of the default script (Latin), or it has none."""
    text = unicodedata.normalize("NFKC", text[:SCAN_CHARS])
    found: set[str] = set()
    for ch in text:
        if not ch.isalpha():
            continue  # digits, punctuation, emoji and spaces say nothing about the language
        for lang in _CLAIMING:
            if lang.owns(ch):
                found.add(lang.code)
                break
    return next((lang.code for lang in _CLAIMING if lang.code in found), None)


def detect(text: str, english: Container[str] = ()) -> str:
    """The language a message is written in: "ko" for any Hangul, "fa" for Persian/Arabic script or for
    Finglish, else "en". `english`: the dictionary's English words (`SuggestVocab.english`), which count
    as English in Latin text ("self exclude", "spam" are not Finglish).

    >>> detect("환전 언제 돼요"), detect("برداشت چقدر طول میکشه"), detect("pool variz kardam nayomad")
    ('ko', 'fa', 'fa')
    >>> detect("how long does a withdrawal take")
    'en'
    """
    code = script_language(text)
    if code is not None:
        return code
    latin = text[:SCAN_CHARS]
    if any(ch.isalpha() for ch in latin) and finglish.looks_finglish(latin, english):
        return FINGLISH
    return DEFAULT.code
