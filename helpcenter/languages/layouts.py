"""Keyboard layouts: text typed with the keyboard left in English layout, read as the player meant it.

Persian follows the standard Persian keyboard (ISIRI 9147, the layout Windows, macOS and Android ship
as "Persian"): "fvnhaj" → برداشت. Korean 2-beolsik lives in `helpcenter.languages.hangul` (`from_keys`), because
its keys must be composed into syllables.
"""
from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

# ISIRI 9147, unshifted level (the physical key as labelled on a US keyboard).
_PERSIAN = {
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ", "p": "ح",
    "[": "ج", "]": "چ",
    "a": "ش", "s": "س", "d": "ی", "f": "ب", "g": "ل", "h": "ا", "j": "ت", "k": "ن", "l": "م", ";": "ک", "'": "گ",
    "z": "ظ", "x": "ط", "c": "ز", "v": "ر", "b": "ذ", "n": "د", "m": "پ", ",": "و",
    "\\": "پ",  # پ sits on backslash in the older Windows "Farsi" layout, still common
}
# Shifted letters players actually need (the rest are Arabic variants and harakat the normalizer drops).
_PERSIAN_SHIFT = {
    "H": "آ", "C": "ژ", "B": "\u200c", "A": "ؤ", "S": "ئ", "D": "\u064a", "F": "إ", "G": "أ", "J": "ة", "M": "ء",
    "Z": "ك",
}
PERSIAN_LAYOUT: dict[str, str] = {**_PERSIAN, **_PERSIAN_SHIFT}

# A word that could have been typed in the wrong layout: ASCII letters and the punctuation keys that
# carry Persian letters, at least one letter.
_LATIN_WORD_RE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z;',\[\]\\]+$")


def could_be_wrong_layout(word: str) -> bool:
    """True when `word` is made only of keys that carry letters in the other layout (and has a letter)."""
    return bool(_LATIN_WORD_RE.match(word))


def latin_to_persian(text: str) -> str:
    """Read `text` as typed on the Persian keyboard: "fvnhaj" → برداشت, ",hvdc" → واریز.

    Caps Lock is undone first when every letter is upper case (the shifted level is rarely meant).
    Characters without a Persian letter on their key pass through.
    """
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        text = text.lower()
    return "".join(PERSIAN_LAYOUT.get(c) or PERSIAN_LAYOUT.get(c.lower(), c) for c in text)


def persian_to_latin(text: str) -> str:
    """The keys that type `text` on the Persian keyboard (the inverse of `latin_to_persian`, for tests
    and evaluation cases)."""
    inverse = {v: k for k, v in _PERSIAN.items() if k != "\\"}
    inverse.update({v: k for k, v in _PERSIAN_SHIFT.items() if v not in inverse})
    return "".join(inverse.get(c, c) for c in text)
