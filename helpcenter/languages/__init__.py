"""The languages the service reads, one module each (`en`, `ko`, `fa`): code, script, analyzer, keyboard,
thresholds, how dates and digits are written. Everything else asks this registry; adding a language is
one module listed in `MODULES`, and its content.
"""
from __future__ import annotations

import re

from helpcenter.languages import en, fa, ko
from helpcenter.languages.base import Language

MODULES = (en, ko, fa)  # in the order readers see them (language switcher, lists)
LANGUAGES: tuple[Language, ...] = tuple(m.LANGUAGE for m in MODULES)
LANGS: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
# The language of any letter no other language claims (Latin), and of a reader who names none.
DEFAULT: Language = next(lang for lang in LANGUAGES if lang.owns is None)
_CLAIMING = tuple(lang for lang in LANGUAGES if lang.owns is not None)


def get(code: str) -> Language:
    """The language of `code`; KeyError for a code the service does not read."""
    return BY_CODE[code]


def script_of(word: str) -> str:
    """The code of the language whose script the first letter of `word` is in (DEFAULT for none)."""
    for ch in word:
        for lang in _CLAIMING:
            if lang.owns(ch):
                return lang.code
        if ch.isalpha():
            return DEFAULT.code
    return DEFAULT.code


def by_fallback() -> tuple[Language, ...]:
    """The languages in the order an article missing in the reader's language is shown instead."""
    return tuple(sorted(LANGUAGES, key=lambda lang: lang.fallback_rank))


# A word that may have been typed with the keyboard in English layout: ASCII letters, the punctuation keys
# that carry letters in another layout (Persian puts ک on ;) and digits, which every layout types alike
# (24tlrks is 24시간), at least one letter.
_LATIN_KEYS_RE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9;',\[\]\\]+$")


def could_be_wrong_layout(word: str) -> bool:
    """True when `word` is made only of keys that carry letters in another layout (and has a letter)."""
    return bool(_LATIN_KEYS_RE.match(word))


def load_models() -> None:
    """Load every analyzer model now (gunicorn's master does, so that its workers share them)."""
    for lang in LANGUAGES:
        if lang.load is not None:
            lang.load()
