"""Replace personal data in free text with typed placeholders before anything is stored."""
from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_CRYPTO = re.compile(
    r"\b(?:0x[a-fA-F0-9]{40}"  # Ethereum and EVM chains
    r"|bc1[ac-hj-np-z02-9]{11,71}"  # Bitcoin bech32
    r"|[13][a-km-zA-HJ-NP-Z1-9]{25,34}"  # Bitcoin base58
    r"|T[1-9A-HJ-NP-Za-km-z]{33})\b")  # Tron (USDT-TRC20)
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# A phone number is written with a country code (+82 …, 0098 …) or with separators (010-1234-5678);
# a bare run of digits is an id of some kind and becomes [NUMBER] below.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d\s().-]{5,}\d|\d{2,4}[\s().-]{1,2}\d[\d\s().-]{3,}\d)(?!\d)")
_GROUPED_DIGITS = re.compile(r"(?<!\d)\d+(?:[ -]\d+)+(?!\d)")
_LONG_DIGITS = re.compile(r"(?<!\d)\d{6,}(?!\d)")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _card(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group())
    return "[CARD]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else m.group()


def _phone(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group())
    shortest = 7 if m.group().startswith("+") else 9  # 9: local numbers with area code; dates have 8
    return "[PHONE]" if shortest <= len(digits) <= 15 else m.group()


def _grouped(m: re.Match) -> str:
    return "[NUMBER]" if len(re.sub(r"\D", "", m.group())) >= 10 else m.group()


def redact(text: str) -> str:
    """Typed placeholders for e-mails, IBANs, crypto wallets, card numbers, phones and long id numbers.

    Persian and Arabic-Indic digits count as digits. Runs in this order so a card number is not taken
    for a phone number, and an IBAN's digits not for an account id.
    """
    text = text.translate(_DIGITS)
    text = _EMAIL.sub("[EMAIL]", text)
    text = _IBAN.sub(lambda m: "[IBAN]" if iban_ok(m.group()) else m.group(), text)
    text = _CRYPTO.sub("[WALLET]", text)
    text = _CARD.sub(_card, text)
    text = _PHONE.sub(_phone, text)
    text = _GROUPED_DIGITS.sub(_grouped, text)
    text = _LONG_DIGITS.sub("[NUMBER]", text)
    return text
