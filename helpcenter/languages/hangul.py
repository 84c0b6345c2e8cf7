"""Hangul by Unicode arithmetic: keystroke-level jamo, choseong, and the standard 2-beolsik keyboard.

A precomposed syllable is U+AC00 + (initial * 21 + medial) * 28 + final. Everything here works on
*keystrokes*: compound vowels (ㅘ = ㅗ+ㅏ) and compound finals (ㄺ = ㄹ+ㄱ) are split into the keys
a player presses on the 2-beolsik (dubeolsik) keyboard, so a half-typed word is a plain prefix of the
whole word's keys: 환ㅈ, 홚 and 환저 are prefixes of 환전 ("ghkswjs"), and text typed with the keyboard
left in English layout is already in that form. `compose` is the IME automaton that turns keys back
into syllables, the way the input method shows them on screen.
"""
from __future__ import annotations

import logging
import re
import unicodedata

log = logging.getLogger(__name__)

SBASE, SCOUNT = 0xAC00, 11172
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
           "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")

# Compound letters and the keys that make them.
_COMPOUND_VOWELS = {"ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ"}
_COMPOUND_FINALS = {"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ",
                    "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ"}
_JOIN_VOWEL = {v: k for k, v in _COMPOUND_VOWELS.items()}
_JOIN_FINAL = {v: k for k, v in _COMPOUND_FINALS.items()}

# The standard 2-beolsik (KS X 5002) layout: the key each jamo is on (shifted keys in upper case).
JAMO_TO_KEY = {
    "ㅂ": "q", "ㅈ": "w", "ㄷ": "e", "ㄱ": "r", "ㅅ": "t", "ㅛ": "y", "ㅕ": "u", "ㅑ": "i", "ㅐ": "o", "ㅔ": "p",
    "ㅁ": "a", "ㄴ": "s", "ㅇ": "d", "ㄹ": "f", "ㅎ": "g", "ㅗ": "h", "ㅓ": "j", "ㅏ": "k", "ㅣ": "l",
    "ㅋ": "z", "ㅌ": "x", "ㅊ": "c", "ㅍ": "v", "ㅠ": "b", "ㅜ": "n", "ㅡ": "m",
    "ㅃ": "Q", "ㅉ": "W", "ㄸ": "E", "ㄲ": "R", "ㅆ": "T", "ㅒ": "O", "ㅖ": "P",
}
KEY_TO_JAMO = {k: j for j, k in JAMO_TO_KEY.items()}
# Shift on a key without a shifted jamo gives the plain one (and Caps Lock gives upper case).
KEY_TO_JAMO.update({k.upper(): j for k, j in list(KEY_TO_JAMO.items()) if k.islower() and k.upper() not in KEY_TO_JAMO})

_CONSONANTS = frozenset(_INITIALS) | frozenset(_COMPOUND_FINALS)
_VOWELS = frozenset(_MEDIALS)

# Conjoining jamo (U+1100 block), which NFKC makes of compatibility jamo, back to compatibility jamo.
_CONJOINING = {}
for _i, _c in enumerate(_INITIALS):
    _CONJOINING[chr(0x1100 + _i)] = _c
for _i, _c in enumerate(_MEDIALS):
    _CONJOINING[chr(0x1161 + _i)] = _c
for _i, _c in enumerate(_FINALS[1:]):
    _CONJOINING[chr(0x11A8 + _i)] = _c
_TO_COMPAT = str.maketrans(_CONJOINING)


def is_syllable(ch: str) -> bool:
    return SBASE <= ord(ch) < SBASE + SCOUNT


def is_jamo(ch: str) -> bool:
    """A bare compatibility jamo (ㄱ-ㅣ), as an IME shows a letter not yet in a syllable."""
    return ch in _CONSONANTS or ch in _VOWELS


def is_hangul(ch: str) -> bool:
    return is_syllable(ch) or is_jamo(ch)


def to_compat(text: str) -> str:
    """NFC, with conjoining jamo (what NFKC makes of ㅎ) turned back into compatibility jamo (ㅎ)."""
    return unicodedata.normalize("NFC", text).translate(_TO_COMPAT)


# Bare jamo players write as emoticons: crying (ㅠㅠ, ㅜㅜ), annoyed (ㅡㅡ), laughing (ㅋㅋ, ㅎㅎ), trembling
# (ㄷㄷ). A bare vowel is never part of a Korean word or an abbreviation; those consonants only when
# repeated and not part of a run of initial consonants (ㅋㅋㅇㅌ abbreviates 카카오톡).
_EMOTICON_RE = re.compile("[ㅠㅜㅡ]+|(?<![ㄱ-ㅎ])(?:ㅋ{2,}|ㅎ{2,}|ㄷ{2,})(?![ㄱ-ㅎ])")
# Other bare vowels in a word are no emoticon but keys: an English word typed with the keyboard still in
# Korean ("login" comes out ㅣㅐ햐ㅜ), whose ㅜ (n), ㅠ (b) and ㅡ (m) are letters, not tears.
_OTHER_BARE_VOWEL_RE = re.compile("[ㅏ-ㅣ](?<![ㅠㅜㅡ])")


def strip_emoticons(text: str) -> str:
    """`text` (compatibility jamo: `to_compat`) without jamo emoticons (출금 안됨ㅠㅠ → 출금 안됨), each
    replaced by a space; unchanged when nothing else is left. A word with another bare vowel (ㅣㅐ햐ㅜ:
    "login" on the Korean layout) is kept whole."""
    out = " ".join(w if _OTHER_BARE_VOWEL_RE.search(w) else _EMOTICON_RE.sub(" ", w) for w in text.split(" "))
    return out if out.strip() else text


def split_syllable(ch: str) -> tuple[str, str, str]:
    """(initial, medial, final) of a precomposed syllable; final is "" when there is none."""
    n = ord(ch) - SBASE
    return _INITIALS[n // 588], _MEDIALS[(n % 588) // 28], _FINALS[n % 28]


def join_syllable(initial: str, medial: str, final: str = "") -> str:
    return chr(SBASE + (_INITIALS.index(initial) * 21 + _MEDIALS.index(medial)) * 28 + _FINALS.index(final))


_DECOMPOSABLE_RE = re.compile("[\u3131-\u318e\uac00-\ud7a3]")  # syllables and compatibility jamo


def decompose(text: str) -> str:
    """Keystroke-level jamo: 환전 → ㅎㅗㅏㄴㅈㅓㄴ, 닭 → ㄷㅏㄹㄱ; other characters pass through."""
    text = to_compat(text)
    if not _DECOMPOSABLE_RE.search(text):  # no Hangul (English, Persian): nothing to split, at C speed
        return text
    out = []
    for ch in text:
        if is_syllable(ch):
            i, m, f = split_syllable(ch)
            out.append(i + _COMPOUND_VOWELS.get(m, m) + _COMPOUND_FINALS.get(f, f))
        else:
            out.append(_COMPOUND_VOWELS.get(ch) or _COMPOUND_FINALS.get(ch) or ch)
    return "".join(out)


def to_keys(text: str) -> str:
    """The 2-beolsik keys that type `text`: 환전 → "ghkswjs", 비밀번호 → "qlalfqjsgh".

    Characters that are not Hangul pass through unchanged (lower-cased Latin would collide with keys,
    so callers convert Hangul words only).
    """
    return "".join(JAMO_TO_KEY.get(j, j) for j in decompose(text))


def choseong(text: str) -> str:
    """Initial consonants of the Hangul in `text` (비밀번호 찾기 → ㅂㅁㅂㅎㅊㄱ); bare consonants are kept,
    everything else (spaces, vowels, other scripts) is dropped."""
    out = []
    for ch in to_compat(text):
        if is_syllable(ch):
            out.append(split_syllable(ch)[0])
        elif ch in _CONSONANTS:
            out.append(ch)
    return "".join(out)


def is_choseong_query(token: str) -> bool:
    """True for a word of two or more bare consonants (ㅎㅈ, ㅂㅁㅂㅎ): an initial-consonant abbreviation.

    A single consonant is the first keystroke of a syllable, not an abbreviation.
    """
    token = to_compat(token)
    return len(token) >= 2 and all(ch in _CONSONANTS for ch in token)


def compose(jamo: str) -> str:
    """Compose a sequence of keystroke jamo into syllables, as a 2-beolsik IME does on screen.

    ㅎㅗㅏㄴㅈ → 홚 (ㄴ+ㅈ make a compound final), ㅎㅗㅏㄴㅈㅓㄴ → 환전 (a vowel pulls the last final
    into a new syllable). Consonants with no vowel stay bare (ㅎㅈ stays ㅎㅈ: players type
    initial-consonant abbreviations that way). Other characters end the syllable and pass through.
    """
    out: list[str] = []
    ini = med = fin = ""  # the syllable being composed

    def flush() -> None:
        nonlocal ini, med, fin
        if ini and med:
            out.append(join_syllable(ini, med, fin))
        else:
            out.append(ini + med)  # a bare consonant or vowel
        ini = med = fin = ""

    # compound letters typed as one character (ㄳ, ㅘ) count as their keys
    for ch in "".join(_COMPOUND_VOWELS.get(c) or _COMPOUND_FINALS.get(c) or c for c in jamo):
        if ch in _INITIALS:
            if ini and med:
                if not fin and ch in _FINALS:
                    fin = ch
                    continue
                if fin and fin + ch in _JOIN_FINAL:
                    fin = _JOIN_FINAL[fin + ch]
                    continue
            flush()
            ini = ch
        elif ch in _VOWELS:
            if ini and med and fin:
                # the final moves to the next syllable (a compound final gives up its second letter)
                parts = _COMPOUND_FINALS.get(fin, fin)
                keep, move = (parts[0], parts[1]) if len(parts) == 2 else ("", parts)
                fin = keep
                flush()
                ini, med = move, ch
            elif ini and med:
                if med + ch in _JOIN_VOWEL:
                    med = _JOIN_VOWEL[med + ch]
                else:
                    flush()
                    med = ch
            elif ini:
                med = ch
            elif med and med + ch in _JOIN_VOWEL:
                med = _JOIN_VOWEL[med + ch]
            else:
                flush()
                med = ch
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def from_keys(keys: str) -> str:
    """Text typed with the keyboard left in English layout, as the 2-beolsik keyboard would have typed it.

    "ghkswjs" → 환전, "qlalfqjsgh" → 비밀번호; keys that are not letters pass through.
    """
    return compose("".join(KEY_TO_JAMO.get(k, k) for k in keys))


def ime_states(text: str) -> list[str]:
    """What the screen shows after each keystroke while `text` is typed on a 2-beolsik IME.

    환전 → ㅎ, 호, 화, 환, 홚, 환저, 환전. Other characters take one keystroke each. Used by the
    prefix evaluation to replay half-composed syllables as players produce them.
    """
    text = to_compat(text)
    states: list[str] = []
    done = ""  # text before the current Hangul run
    i = 0
    while i < len(text):
        if not is_hangul(text[i]):
            done += text[i]
            states.append(done)
            i += 1
            continue
        j = i
        while j < len(text) and is_hangul(text[j]):
            j += 1
        run = text[i:j]
        jamo = decompose(run)
        if compose(jamo) == run:
            states.extend(done + compose(jamo[:n]) for n in range(1, len(jamo) + 1))
        else:  # a run the automaton would type differently (rare): one state per character
            states.extend(done + run[:n] for n in range(1, len(run) + 1))
        done += run
        i = j
    return states


# Vowels that sound alike and are written one for the other: 고객샌터 for 고객센터, 재한 for 제한.
_VOWEL_CONFUSIONS = {"ㅐ": "ㅔ", "ㅔ": "ㅐ", "ㅒ": "ㅖ", "ㅖ": "ㅒ", "ㅚ": "ㅙㅞ", "ㅙ": "ㅚㅞ", "ㅞ": "ㅚㅙ"}
# ㅖ after a consonant is said [ㅔ] (계좌 as 게좌, 제한 typed 졔한); not after ㅇ, where 예 and 에 (the
# particle: 어디에) differ.
_SAID_AS_E = {"ㅔ": "ㅖ", "ㅖ": "ㅔ"}


# Keys next to each other on a QWERTY keyboard (the 2-beolsik jamo sit on those keys): the same row and
# the touching keys of the rows above and below, which are offset by half a key.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour_keys(key: str) -> str:
    for r, row in enumerate(_ROWS):
        c = row.find(key)
        if c >= 0:
            near = [row[c - 1] if c else "", row[c + 1:c + 2]]
            if r:
                near.append(_ROWS[r - 1][c:c + 2])
            if r + 1 < len(_ROWS):
                near.append(_ROWS[r + 1][max(0, c - 1):c + 1])
            return "".join(near)
    return ""


_NEIGHBOURS = {j: [KEY_TO_JAMO[k] for k in _neighbour_keys(key) if k in KEY_TO_JAMO]
               for j, key in JAMO_TO_KEY.items() if key.islower()}
# The same key with Shift held or not: a tensed consonant for a plain one and back (정싼 for 정산, 깝 for
# 갑), ㅒ for ㅐ, ㅖ for ㅔ (`key_slips`)
_SHIFTED = {j: KEY_TO_JAMO[key.swapcase()] for j, key in JAMO_TO_KEY.items()
            if len(key) == 1 and key.swapcase() in KEY_TO_JAMO and KEY_TO_JAMO[key.swapcase()] != j}
# what an initial or a vowel may be typed as: a neighbouring key's jamo, then its own key's with Shift or not
_SLIPS = {j: [*_NEIGHBOURS.get(j, ()), *_SHIFTED.get(j, "")] for j in {*_NEIGHBOURS, *_SHIFTED}}
# Finals said alike at the end of a syllable, often typed for each other: the nasals, and the stops that
# end a syllable as one sound (캐시아욷 for 캐시아웃: ㄷ, ㅅ, ㅆ, ㅈ, ㅊ, ㅌ, ㅎ are all said [t]).
_FINAL_SOUND_GROUPS = ("ㄴㅇㅁ", "ㄷㅅㅆㅈㅊㅌㅎ", "ㄱㄲㅋ", "ㅂㅍ")
_FINAL_SOUNDALIKES = {f: group.replace(f, "") for group in _FINAL_SOUND_GROUPS for f in group}


def key_slips(word: str) -> list[str]:
    """`word` with one jamo of one syllable typed with a neighbouring key (비밀먼호: ㅁ for ㅂ, 재설졍: ㅕ
    for ㅓ) or with Shift held or let go (정싼: ㅆ for ㅅ; `_SLIPS`), or one final for another said alike
    (이중인즘: ㅁ for ㅇ; 캐시아욷: ㄷ for ㅅ); read back, what the player meant. Only single jamo are swapped
    (not ㅘ or ㄳ), each for one of its own kind (a consonant for a consonant)."""
    out = []
    for i, ch in enumerate(word):
        if not is_syllable(ch):
            continue
        initial, medial, final = split_syllable(ch)
        swaps = [(j, medial, final) for j in _SLIPS.get(initial, ()) if j in _INITIALS]
        swaps += [(initial, v, final) for v in _SLIPS.get(medial, ()) if v in _VOWELS]
        if final:
            near = [*_FINAL_SOUNDALIKES.get(final, ""), *_NEIGHBOURS.get(final, ())]
            swaps += [(initial, medial, f) for f in dict.fromkeys(near) if f in _FINALS]
        out += [word[:i] + join_syllable(*swap) + word[i + 1:] for swap in swaps]
    return out


def vowel_confusions(word: str) -> list[str]:
    """`word` with one syllable's vowel swapped for one that sounds alike (`_VOWEL_CONFUSIONS`,
    `_SAID_AS_E`)."""
    out = []
    for i, ch in enumerate(word):
        if SBASE <= ord(ch) < SBASE + SCOUNT:
            initial, medial, final = split_syllable(ch)
            others = _VOWEL_CONFUSIONS.get(medial, "") + (_SAID_AS_E.get(medial, "") if initial != "ㅇ" else "")
            out += [word[:i] + join_syllable(initial, other, final) + word[i + 1:] for other in others]
    return out
