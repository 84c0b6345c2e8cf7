"""Personal data in free text, found however it is written, and replaced before anything keeps the text.

Players write numbers every way a keyboard allows: Persian or Arabic-Indic digits, full-width forms a
Korean IME types (０１０, ＠), en dashes, slashes, dots, underscores or double spaces between groups,
zero-width and bidi marks between digits (Persian text is full of them), glued to a Korean particle
(0x52…6t로, 전화010.1234.5678). So the text is first normalized, character by character, keeping
where each character came from: NFKC, every digit system to ASCII, dashes to "-", spaces to " ",
invisible marks dropped. The patterns run on that copy; each match is replaced in the original text.

`redact` (logs, caches, gaps) replaces all of it with typed placeholders: [EMAIL], [IBAN], [WALLET],
[IP], [ID] (resident-registration numbers), [PASSPORT], [CARD], [PHONE], [NUMBER] (other long digit
runs). `mask_for_ticket` keeps what a support agent needs to act (e-mails, phones, wallets) and masks
what no agent needs whole: cards and IBANs down to their last four, identity and passport numbers.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from collections.abc import Callable

# --- the normalized copy ----------------------------------------------------------------------------

_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                       "\u2060\ufeff\u00ad\u061c\u180e")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2043")


def _normal_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch in _DASHES:
        return "-"
    if ch.isspace():
        return " "
    if ch.isdecimal():  # every digit system: Persian, Arabic-Indic, full-width, Devanagari...
        return str(unicodedata.decimal(ch))
    return unicodedata.normalize("NFKC", ch)


def normalized(text: str) -> tuple[str, list[int]]:
    """`text` normalized for finding personal data, and for each of its characters the index in `text`
    of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = ch if ch.isascii() and ch.isalnum() else _normal_char(ch)
        out.append(n)
        where.extend([i] * len(n))
    return "".join(out), where


# --- checks -----------------------------------------------------------------------------------------

def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = re.sub(r"[^0-9A-Za-z]", "", candidate).upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_date(text: str) -> bool:
    """2026-11-20, 20/11/2026, 2026.11.20: a date, not a phone number."""
    parts = re.split(r"[-./ ]+", text.strip())
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    for y, m, d in ((parts[0], parts[1], parts[2]), (parts[2], parts[1], parts[0]), (parts[2], parts[0], parts[1])):
        if len(y) == 4:
            try:
                dt.date(int(y), int(m), int(d))
                return True
            except ValueError:
                continue
    return False


def _ip_ok(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _rrn_ok(digits: str) -> bool:
    """A Korean resident-registration number: a birth date (YYMMDD), then a digit 1-8, then six more."""
    month, day = int(digits[2:4]), int(digits[4:6])
    return len(digits) == 13 and 1 <= month <= 12 and 1 <= day <= 31 and digits[6] in "12345678"


# --- the patterns, in the order they run (earlier ones win where two overlap) ------------------------

_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")  # 50.000.000 is an amount
_A = r"(?<![0-9A-Za-z])"  # ASCII boundaries: a Korean particle glued to a number is no boundary for \b
_Z = r"(?![0-9A-Za-z])"
_SEP = r"[ \-./_]{0,3}"  # between groups of digits: spaces (one or two), dashes, dots, slashes, underscores
_B58 = "1-9A-HJ-NP-Za-km-z"

Rule = tuple[str, re.Pattern, Callable[[str], bool]]
RULES: tuple[Rule, ...] = (
    ("EMAIL", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), lambda m: True),
    ("IBAN", re.compile(_A + r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}" + _Z), iban_ok),
    ("WALLET", re.compile(_A + r"(?:0x[a-fA-F0-9]{40}"  # Ethereum and EVM chains
                          r"|(?:bc|tb|ltc)1[ac-hj-np-z02-9]{11,71}|(?:BC|TB|LTC)1[AC-HJ-NP-Z02-9]{11,71}"  # bech32
                          rf"|[{_B58}]{{25,44}})" + _Z),  # base58: Bitcoin, Tron, Solana, Litecoin, XRP...
     lambda m: m.startswith(("0x", "bc1", "tb1", "ltc1", "BC1", "TB1", "LTC1"))
     or (any(c.isdigit() for c in m) and any(c.isupper() for c in m) and any(c.islower() for c in m))),
    ("IP", re.compile(r"(?<![0-9A-Za-z_.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})"
                      r"(?![0-9A-Za-z_:]|\.\d)"),
     lambda m: _ip_ok(m) and (m.count(".") == 3 or m.count(":") >= 2)),
    ("ID", re.compile(r"(?<!\d)\d{6}[ \-]?\d{7}(?!\d)"), lambda m: _rrn_ok(_digits(m))),
    ("PASSPORT", re.compile(_A + r"(?:[A-Za-z]\d{3}[A-Za-z]\d{4}|[A-Za-z]{1,2}\d{7,8})" + _Z), lambda m: True),
    ("CARD", re.compile(r"(?<!\d)\d(?:" + _SEP + r"\d){12,18}(?!\d)"),
     lambda m: 13 <= len(_digits(m)) <= 19 and luhn_ok(_digits(m))),
    # a phone: a country code (+82, 0098) or groups of digits apart by separators, 8 to 15 digits
    ("PHONE", re.compile(r"(?<![0-9A-Za-z+(])\(?(?:\+|00)?\(?\d[\d \-./()_]{5,}\d(?!\d)"),
     lambda m: 8 <= len(_digits(m)) <= 15 and not _is_date(m) and not _THOUSANDS.fullmatch(m)
     and (m.lstrip("(").startswith(("+", "00")) or bool(re.search(r"\d[ \-./()_]+\d", m)))),
    ("NUMBER", re.compile(r"(?<!\d)\d+(?:" + _SEP + r"\d+)+(?!\d)"), lambda m: len(_digits(m)) >= 10),
    ("NUMBER", re.compile(r"(?<!\d)\d{6,}(?!\d)"), lambda m: True),
)


def find(text: str) -> list[tuple[int, int, str, str]]:
    """The personal data in `text`: (start, end, kind, the matched text as normalized), by position,
    never overlapping; start and end index `text` itself."""
    norm, where = normalized(text)
    taken = [False] * len(norm)
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern, ok in RULES:
        for m in pattern.finditer(norm):
            s, e = m.span()
            if any(taken[s:e]) or not ok(m.group()):
                continue
            taken[s:e] = [True] * (e - s)
            found.append((where[s], where[e - 1] + 1, kind, m.group()))
    return sorted(found)


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


def redact(text: str) -> str:
    """`text` with all personal data replaced by typed placeholders ([EMAIL], [PHONE], [CARD]...)."""
    return _replace(text, [(s, e, f"[{kind}]") for s, e, kind, _ in find(text)])


def mask_for_ticket(text: str) -> str:
    """`text` as a support agent may see it: cards and IBANs down to their last four characters,
    identity and passport numbers masked; contact details and wallet addresses kept."""
    spans = []
    for s, e, kind, value in find(text):
        if kind in ("CARD", "IBAN"):
            spans.append((s, e, f"[{kind} …{re.sub(r'[^0-9A-Za-z]', '', value)[-4:]}]"))
        elif kind in ("ID", "PASSPORT"):
            spans.append((s, e, f"[{kind}]"))
    return _replace(text, spans)
