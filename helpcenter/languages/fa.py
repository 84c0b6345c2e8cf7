"""Persian: Arabic-script text normalized (letter variants, digits, half-spaces), stop-worded and lightly
stemmed; typed on the standard Persian keyboard (ISIRI 9147); written right to left with Persian digits."""
from __future__ import annotations

import datetime as dt
import re

import jdatetime

from helpcenter.languages.base import Language, Terms, letter_put_back, neighbours_swapped

LETTERS = "\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0622"  # after normalization

# --- normalization: Arabic-script letter variants, digits, invisible marks, half-spaces -------------

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
# The letters an Arabic keyboard layout types for Persian ones (Windows' Arabic layout, many phones):
# the analyzer folds them with the rest of `_CHAR_MAP`, but the encoder reads the text itself
_KEYBOARD_MAP = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def persian_letters(text: str) -> str:
    """`text` with the Arabic keyboard's yeh and kaf as the Persian letters (يكي -> یکی), all else as
    typed: what the encoder reads of a Persian reader's words."""
    return text.translate(_KEYBOARD_MAP)


# Diacritics (harakat, superscript alef), tatweel, bidi controls and other invisible marks vanish.
_THOUSANDS_RE = re.compile(r"(?<=\d)[,\u066c](?=\d{3}(?!\d))")
_DROP_RE = re.compile("[\u064b-\u065f\u0670\u0640\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
# Everything that people type for a half-space becomes one ZWNJ first.
_HALF_SPACE_CHARS = "\u200c\u200b\u200d\u00ac\u2009\u202f"
_HALF_SPACE_RE = re.compile(f"[{_HALF_SPACE_CHARS}]+")
_PREFIX_RE = re.compile(r"(?<![\w\u200c])(ن?می|ن?مي)[ \u200c]+(?=[\u0600-\u06ff])")
_SUFFIXES = ("هایی", "های", "ها", "ترین", "تر", "تان", "شان", "مان", "ام", "ات", "اش", "ای")
_SUFFIX_RE = re.compile(
    r"(?<=[\u0600-\u06ff])[ \u200c]+(" + "|".join(_SUFFIXES) + r")(?![\w\u200c])")
# After a silent heh an ending is written apart (خسته‌ام "I am tired", رفته‌ایم "we have gone", خانه‌اش
# "his house", نامه‌ای "a letter"): it goes, as the stemmer would take it from any other word. Joined, it
# would read as the plural ها plus a possessive (خستهام -> خست, رفتهایم -> رفت).
_AFTER_HEH_RE = re.compile(r"(?<=[\u0600-\u06ff]ه)[ \u200c]+(ایم|اید|اند|ام|ات|اش|ای)(?![\w\u200c])")


def has_half_space(text: str) -> bool:
    """Whether `text` has a half-space (ZWNJ, or what people type for one) between two letters."""
    return bool(_HALF_SPACE_RE.search(text.strip(_HALF_SPACE_CHARS)))


def normalize(text: str) -> str:
    """Persian letters and digits, invisible marks dropped, half-space variants joined.

    The three ways of writing a Persian word with a prefix or suffix (ZWNJ, no space, a space:
    می‌خواهم / میخواهم / می خواهم) come out identical, as do Arabic and Persian letter variants.
    """
    text = text.translate(_CHAR_MAP)
    text = _THOUSANDS_RE.sub("", text)
    text = _DROP_RE.sub("", text)
    text = _HALF_SPACE_RE.sub("\u200c", text)
    text = _PREFIX_RE.sub(r"\1", text)
    text = _AFTER_HEH_RE.sub("", text)
    text = _SUFFIX_RE.sub(r"\1", text)
    return text.replace("\u200c", "")


# --- stop words and stemming -------------------------------------------------------------------------

STOP = frozenset("""
و در به از که این را با است برای آن یک تا هم یا اگر شما من ما او آنها ها های هست بود شود شده
کنید کنم کند کرد کردم کردن میشود میشه چه چی چرا کجا کی چطور چگونه نیز بر پس اما ولی باید
خود همه هر دیگر روی وقتی بعد قبل دارم دارید دارد داره هستم هستید نه بله لطفا سلام ای ام اش
تو رو یه دیگه اگه آخه کدوم چیکار چطوری چجوری واسه برا اینو اونو اون اونا منو خب کلا الان دارین هستین کنین
""".split())
# The last line is spoken Persian's (رو for را, یه for یک, تو for در): counted as words, they lowered the
# share of a spoken question's words the index knows, and the no-answer model read it as one we do not know.
STRIP = ("هایی", "های", "ها", "ترین", "تان", "شان")
# A plural followed by a possessive: کارت‌هایم (my cards), کتاب‌هایتان (your books), برداشت‌هایمان (our
# withdrawals), spoken پولامون-style endings after ها. The whole ending goes at once, longest first.
PLURAL_POSSESSIVE = tuple(sorted(
    [f"های{p}" for p in ("مان", "تان", "شان", "م", "ت", "ش")]
    + [f"ها{p}" for p in ("مان", "تان", "شان", "مون", "تون", "شون", "م", "ش")], key=len, reverse=True))
# Spoken Persian marks the object with -o after a possessive: پولمو (my money), تیکتمو (my ticket).
COLLOQUIAL = ("مو", "تو", "شو")


# Spoken endings the stemmer keeps (taking them off would cut words like فردا, جام, مالیات): a plural -ا
# or -ها, a possessive, the object -و/-رو and the copula -ه, alone or together (سایتا, بازیاتون, بونوسو,
# کلاهبرداریه). Taken off at query time only, and only into a word the knowledge base has (`spoken_stems`,
# `search.reading`). Least taken off first.
SPOKEN_ENDINGS = tuple(sorted(
    {a + b + c for a in ("", "ا", "ها") for b in ("", "م", "ت", "ش", "مون", "تون", "شون") for c in ("", "و", "رو", "ه")}
    - {"", "ات"}, key=len))  # -ات is mostly the Arabic plural or part of the word (مالیات), not "your"


# Adverbs end in -ا (written -اً) after a word the knowledge base may have: حتما is not the plural of حتم.
ADVERBS = frozenset("""
واقعا اصلا فعلا حتما لطفا تقریبا دقیقا کاملا قبلا بعدا اخیرا مثلا معمولا احتمالا اتفاقا قانونا شخصا فورا
مستقیما نهایتا اولا ثانیا کلا ظاهرا اساسا عمدا اصولا تماما شدیدا عملا رسما مجددا دائما نسبتا
""".split())


# One-letter endings that need four letters left: the plural -ا, the object -و and the copula -ه end too
# many short words. A possessive (شرطم "my bet", رمزم "my password", کدش "its code") needs three.
_ONE_LETTER_NOT_MINE = ("ا", "و", "ه")
# The spoken plural with the ezafe before a noun (نوتیفیکیشنای اپ: the app's notifications), and everyday
# words that end in -ا themselves, whose -ای is their -ی only (فردای لیگ, بالای ۹)
_SPOKEN_PLURAL_BEFORE = "ای"
_ENDING_IN_A = frozenset("فردا بالا دنیا اجرا امضا دریا تنها اینجا اونجا آنجا ماجرا".split())


def spoken_stems(word: str) -> list[str]:
    """What `word` may be without a spoken ending (`SPOKEN_ENDINGS`), least taken off first: a possessive
    or a longer ending needs three letters left, another one-letter ending four (`_ONE_LETTER_NOT_MINE`).
    The spoken plural before a noun or an adjective, -ای (نوتیفیکیشنای اپ, سایتای شرط بندی, بردای
    شرط), last, after the word with only its -ی off; not for a word that ends in -ا itself (`_ENDING_IN_A`:
    فردای, the day after, is فردا's). Verbs (می-, نمی-) and adverbs keep theirs."""
    if word in ADVERBS or word.startswith(("می", "نمی")):
        return []
    stems = [word[: -len(e)] for e in SPOKEN_ENDINGS
             if word.endswith(e) and len(word) - len(e) >= (4 if e in _ONE_LETTER_NOT_MINE else 3)]
    if word.endswith(_SPOKEN_PLURAL_BEFORE) and len(word) - len(_SPOKEN_PLURAL_BEFORE) >= 3:
        stems.append(word[:-1])
        if word[:-1] not in _ENDING_IN_A:
            stems.append(word[: -len(_SPOKEN_PLURAL_BEFORE)])
    return stems


# Spoken Persian says -ā- before n and m as -u-, and players write it so: مونده for مانده (remained), تموم
# for تمام (finished), میتونم for میتوانم (I can), کدوم for کدام. Read back at query time only, and only
# into a word the knowledge base has (`search.reading`).
_SPOKEN_VOWELS = (("ون", "ان"), ("وم", "ام"), ("ون", "وان"))


def written_vowels(word: str) -> list[str]:
    """`word` with one spoken -un-/-um- written as -ān-/-ām- or -vān- (`_SPOKEN_VOWELS`). The first letter
    stays: a word that begins with و (and, or the verb's root) is not a spoken vowel."""
    return [word[:i] + written + word[i + len(spoken):] for spoken, written in _SPOKEN_VOWELS
            for i in range(1, len(word) - 1) if word.startswith(spoken, i)]


# Letters that sound alike (or differ by dots) and are typed one for the other: واریذ for واریز, حساپ
# for حساب, برداست (its dots left off) for برداشت. Tried at query time only, and only into a word the
# knowledge base has (`search.reading`).
_CONFUSABLE = ("زذضظ", "سصث", "تط", "هح", "بپ", "قغ", "کگ", "جچ", "سش")
_CONFUSIONS = {ch: "".join(group.replace(ch, "") for group in _CONFUSABLE if ch in group)
               for ch in "".join(_CONFUSABLE)}


def confusable_spellings(word: str, least: int = 4) -> list[str]:
    """`word` with one letter after the first swapped for one of its sound-alikes (`_CONFUSABLE`); none
    for a word of fewer than `least` letters, where a swap as often makes another common word (سفر, صفر;
    جک, چک: `search.reading` tries three-letter words only when no one spells them so and one swap alone
    makes an article's word, عکص -> عکس). The first letter stays: it is the verb's prefix ب- as often as
    a typo (بیام "I come", پیام)."""
    if len(word) < least:
        return []
    return [word[:i] + other + word[i + 1:] for i, ch in enumerate(word) if i for other in _CONFUSIONS.get(ch, "")]


def with_a_letter_added(word: str) -> list[str]:
    """`word` with one Persian letter put back between two of its letters, as a phone keyboard drops one
    (درخاست for درخواست, اطلعات for اطلاعات). None for a word of fewer than five letters, which a letter
    added as often makes another everyday word (مانی, money, would be مجانی, free; الان, now, اعلان), and
    none at the end, where a letter added is a suffix (مالیات, tax, would be مالیاتی; انگلیس, انگلیسی).
    Tried at query time only, and only into a word the knowledge base has."""
    return letter_put_back(word, _LETTERS) if len(word) >= 5 else []


_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def with_two_letters_swapped(word: str) -> list[str]:
    """`word` with two neighbouring letters put back in order, as a thumb types them the wrong way round
    (شاکیت for شکایت, پشتبیانی for پشتیبانی). None for a word of fewer than five letters (as for
    `with_a_letter_added`: a swap in a short word as often makes another everyday word)."""
    return neighbours_swapped(word) if len(word) >= 5 else []


def with_a_neighbouring_key(word: str) -> list[str]:
    """`word` with one letter after the first typed back from the key beside it on the Persian keyboard
    (`LAYOUT`: شکتیت for شکایت, ت on the key beside ا; مرحلع for مرحله). None for a word of fewer than
    five letters; the first letter stays, as in `confusable_spellings`, and so does a last letter that
    ends inflected words (`_ENDING_LETTERS`): ریختم, "I paid in", is a word, not ریختن mistyped."""
    if len(word) < 5:
        return []
    return [word[:i] + other + word[i + 1:] for i, ch in enumerate(word)
            if i and not (i == len(word) - 1 and ch in _ENDING_LETTERS) for other in _NEIGHBOUR_KEYS.get(ch, "")]


_ENDING_LETTERS = "امتشنیده"  # personal endings and possessives (-am, -at, -ash, -an, -i, -id, -e), plural -a


# Arabic broken plurals of the knowledge base's words, read as the singular: ضرایب (odds) is ضریب.
# Not قوانین (rules: a bonus's terms), which as قانون (the law) would meet the questions of legality.
BROKEN_PLURALS = {"ضرایب": "ضریب", "مدارک": "مدرک", "جوایز": "جایزه", "نتایج": "نتیجه", "دلایل": "دلیل",
                  "مراحل": "مرحله"}


def stem(word: str) -> str:
    """Strip one plural/possessive ending when enough letters remain (light and predictable).

    A plural with its possessive (هایم، هایتان …) and plural and plural-possessive suffixes need three
    letters left; the spoken object ending -مو/-تو/-شو and a possessive -م ("my") need four, so short
    words keep their ending. -یم is the verb's "we" (رفتیم، کردیم), not "my": it stays. A broken plural
    is then read as its singular (`BROKEN_PLURALS`: مدارکم -> مدارک -> مدرک).
    """
    stemmed = _strip_ending(word)
    return BROKEN_PLURALS.get(stemmed, stemmed)


def _strip_ending(word: str) -> str:
    for suffix in PLURAL_POSSESSIVE + STRIP + COLLOQUIAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("م") and len(word) >= 5 and not word.endswith("یم"):
        return word[:-1]
    return word


def analyze_run(run: str) -> Terms:
    if run in STOP:
        return []
    term = stem(run)
    return [] if term in STOP else [(term, 0, len(run))]


# --- the Persian keyboard (ISIRI 9147, as Windows, macOS and Android ship it) -------------------------

# Unshifted level (the physical key as labelled on a US keyboard).
_KEYS = {
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ", "p": "ح",
    "[": "ج", "]": "چ",
    "a": "ش", "s": "س", "d": "ی", "f": "ب", "g": "ل", "h": "ا", "j": "ت", "k": "ن", "l": "م", ";": "ک", "'": "گ",
    "z": "ظ", "x": "ط", "c": "ز", "v": "ر", "b": "ذ", "n": "د", "m": "پ", ",": "و",
    "\\": "پ",  # پ sits on backslash in the older Windows "Farsi" layout, still common
}
# Shifted letters players actually need (the rest are Arabic variants and harakat the normalizer drops).
_SHIFT_KEYS = {
    "H": "آ", "C": "ژ", "B": "\u200c", "A": "ؤ", "S": "ئ", "D": "\u064a", "F": "إ", "G": "أ", "J": "ة", "M": "ء",
    "Z": "ك",
}
LAYOUT: dict[str, str] = {**_KEYS, **_SHIFT_KEYS}
_KEY_ROWS = ("qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,")
# Each letter's neighbours on its row (a thumb lands beside a key far more often than above or below it).
_NEIGHBOUR_KEYS = {_KEYS[k]: "".join(_KEYS[n] for n in (row[i - 1] if i else "", row[i + 1:i + 2]) if n in _KEYS)
                   for row in _KEY_ROWS for i, k in enumerate(row)}


def from_keys(text: str) -> str:
    """Read `text` as typed on the Persian keyboard: "fvnhaj" → برداشت, ",hvdc" → واریز.

    Caps Lock is undone first when every letter is upper case (the shifted level is rarely meant).
    Characters without a Persian letter on their key pass through.
    """
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        text = text.lower()
    return "".join(LAYOUT.get(c) or LAYOUT.get(c.lower(), c) for c in text)


def to_keys(text: str) -> str:
    """The keys that type `text` on the Persian keyboard (the inverse of `from_keys`: "صهفایقشص" is
    "withdraw" typed with the keyboard still in Persian)."""
    inverse = {v: k for k, v in _KEYS.items() if k != "\\"}
    inverse.update({v: k for k, v in _SHIFT_KEYS.items() if v not in inverse})
    return "".join(inverse.get(c, c) for c in text)


# --- writing ----------------------------------------------------------------------------------------

DIGITS = "۰۱۲۳۴۵۶۷۸۹"
# The Solar Hijri (Jalali) months: the calendar Iran and Afghanistan live by, and readers expect.
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")


def format_date(day: dt.date) -> str:
    """A date as Persian readers write it: Solar Hijri, Persian digits (2026-11-20 → ۲۹ آبان ۱۴۰۵).

    The calendar arithmetic is jdatetime's (a maintained library); only the month names are ours.
    """
    if isinstance(day, dt.datetime):
        day = day.date()
    jday = jdatetime.date.fromgregorian(date=day)
    return f"{jday.day} {MONTHS[jday.month - 1]} {jday.year}".translate(str.maketrans("0123456789", DIGITS))


LANGUAGE = Language(
    code="fa", name="فارسی", direction="rtl", fallback_rank=2,
    run=f"[{LETTERS}]+",
    word=f"[{LETTERS}]+",
    analyze_run=analyze_run,
    analyzer={"stem_suffixes": list(STRIP), "plural_possessive": list(PLURAL_POSSESSIVE),
              "colloquial": list(COLLOQUIAL), "possessive_m_min": 5, "keeps_verb_yim": True,
              "after_heh": _AFTER_HEH_RE.pattern,
              "stop_count": len(STOP), "broken_plurals": len(BROKEN_PLURALS)},
    owns=lambda ch: "\u0600" <= ch <= "\u06ff",
    keyboard=from_keys,
    keys=to_keys,
    description_words=6,
    normalize=normalize,
    digits=DIGITS,
    format_date=format_date,
    # با کارت بانک ملت, به حساب ..., به آدرس تراست ولت (to its address), از طریق پرفکت مانی (through; not
    # از or تو alone: "برداشت از بایننس", "تو نوبیتکس" are the service's own; nor کارت به کارت, card-to-card,
    # a transfer the bank limits)
    means_before=r"(?<![\w\u200c])(?:با|از\s+طریق|(?<!کارت )به)\s+(?:(?:یه|یک)\s+)?"
                 r"(?:(?:کارت|حساب|کیف پول|ولت|والت|آدرس|اکانت|شماره|گوشی|ایمیل|اینترنت|ووچر|گیفت کارت|کارت هدیه)\s+)?",
    # کارت بانک سپه رو برای واریز میزنم, کارت سامانمو قبول نمیکنه موقع واریز: a name followed, within two
    # words, by what it is used for, a deposit (not a withdrawal: "حساب پرفکت مانی برای برداشت احراز هویت
    # میخواد" asks about that account's own checks)
    means_after=r"\w{0,3}(?:\s+\S+){0,2}?\s+(?:برای|واسه|موقع|وقت|جهت)\s+(?:واریز|شارژ\s+حساب)",
    # تو آیفون, روی خط همراه اول, از بانک سامان, تو سافاری آیفونم (in the browser on the phone): in, on or from
    # (the service's own matters too: weighed apart); به خط رایتلم (a code sent to the line), خطم همراه اوله (my
    # line is ...), شماره رایتل (a Rightel number: the player's line, not the carrier's own matter, as شماره
    # once was in `owner_before`; not سیم کارت or خط alone: شارژ سیم کارت ایرانسل, رومینگ خط ایرانسل are the
    # carrier's): the line or phone the player uses
    setting_before=r"(?<![\w\u200c])(?:(?:تو|توی|در|رو|روی|از)\s+(?:(?:کارت|حساب|کیف پول|اکانت|شماره|گوشی|ایمیل"
                   r"|اینترنت|خط|سیمکارت|اپ|برنامه|مرورگر|کروم|سافاری|فایرفاکس)\s+)?|به\s+(?:خط|سیمکارت|سیم کارت)\s+"
                   r"|(?:خطم|سیمکارتم|اپراتورم|گوشیم|مرورگرم|شماره)\s+)",
    # ایرانسل دارم, آیفون دارم, ایرانسلی‌ام (I am on Irancell): the line or phone the player has (what is asked
    # comes after); حساب سامان ندارم, پی پال و ویزا ندارم: the ones they do not have (asking what else they
    # may use)
    setting_after=r"\w{0,3}(?:\s+(?:و|یا)\s+\S+)?\s+(?:ن?دارم|ن?داریم)(?!\w)|ی\s?ام(?!\w)",
    # کیف پول اسنپ, کد پروموی وان‌ایکس‌بت, احراز هویت نوبیتکس, شارژ (مستقیم) ایرانسل: the thing asked about
    # is the name's (ezafe)
    owner_before=r"(?<![\w\u200c])(?:پول|شارژ|حساب|اکانت|کد|پروموی|پرومو|رفرال|بونوس|بونس|پشتیبانی|هویت|کارمزد|سایت"
                 r"|اپ|اپلیکیشن|برنامه|کارت|رمز|پسورد|ایمیل|پنل|سرویس|اشتراک|تراکنش|برداشت|واریز|موجودی"
                 r"|ولت|والت|لاگین|ورود|ثبت نام|جایزه|اسپین|کش بک|کشبک|وی آی پی|امتیاز|آدرس|لینک|ربات"
                 r"|نوتیفیکیشن|نوتیف|اعلان"  # نوتیفیکیشن واتساپ: the app's own notifications
                 # پیامک‌های تبلیغاتی همراه اول: the carrier's own advertising (not a code sent on its line)
                 r"|پیامک\w{0,3}\s+تبلیغ(?:اتی|ی))\w{0,3}\s+"
                 # ... and the bonus's or code's kind between (بونوس خوشامد بت فوروارد, کد تخفیف اسنپ فود)
                 r"(?:(?:خوشامد|خوش امد|خوشامدگویی|ریلود|هفتگی|روزانه|تخفیف|معرف|دعوت|مستقیم)\w{0,2}\s+)?",
    # حسابم تو دیوار, حساب کاربری(مو) در وان ایکس بت, احراز هویتم تو والکس, کیف پولم تو اسنپ: my account, my
    # identity check or my wallet at that company (not یه اکانت تو تلگرام, an account on Telegram that wrote to
    # me; nor تو سایت, ours; nor به حسابم تو بانک ملی, to my account at the bank: where our payout goes)
    owner_at=r"(?<![\w\u200c])(?<!به )(?:حساب|اکانت|هویت|کیف پول|ولت|والت)(?:\s*کاربری(?:م|مو|مون)?|م|مو|مون)"
             r"\s+(?:تو|توی|در)\s+",
    # شما, اینجا, and "your" on the site's own things, with the object ending or not (سایتتونو; half-spaces
    # are joined by `normalize`: سایت‌تون); "this site", and the player's "my site" (اکانت سایتم: my account
    # on the site, not the e-mail's)
    addressing=r"(?<!\w)(?:شما|شماها|اینجا|اینجام"
               r"|(?:سایت|اپ|اپلیکیشن|برنامه|پشتیبانی|کازینو|حساب|پیج|کانال)(?:تون|تان)(?:و|رو)?"
               r"|سایتم|سایتمون"
               # پیج اینستاگرامتون, کانال تلگرامتون: your page or channel on another company's service
               r"|(?:پیج|کانال|صفحه)\s+\w+(?:تون|تان)"
               # اپ اندرویدتون, برنامه آیفونتونو: your app for that phone
               r"|(?:اپ|برنامه|اپلیکیشن|نسخه)\s+\w+(?:تون|تان)(?:و|رو)?"
               r"|این\s+(?:سایت|اپ|برنامه|کازینو))(?!\w)",
    # (با) پرفکت مانی میشه واریز کرد, پی پال هم میتونم شارژ کنم, پرفکت مانی جزو روشای واریزتون هست, وبمانی رو
    # قبول میکنین: asked whether the site takes it
    taking_after=r"\w{0,3}\s+(?:(?:هم\s+)?(?:میشه|میتونم|میتونیم|میشود|میتوان)\s+(?:\S+\s+)?(?:واریز|شارژ"
                 r"|پول\s+(?:ریخت|بریزم|واریز))|(?:هم\s+)?جزو\s+(?:روش|راه)"
                 r"|(?:(?:رو|را)\s+)?(?:هم\s+)?قبول\s*(?:می)?\s*(?:کنین|کنید))",
    contact_label=r"(?<!\w)(?:شماره(?:\s*(?:من|تماس|تماسم|موبایل|موبایلم|همراه|همراهم|تلفن|تلفنم|حساب|حسابم))?|شمارم"
                  r"|موبایلم|موبایل|تلفنم|تلفن|ایمیل(?:\s*من)?|ایمیلم|آیدی(?:\s*من)?|آیدیم)(?:\s*(?:هست|است))?",
    nothing_alone=(
        # a test, a reply or an acknowledgement to no question
        r"(?:تست|امتحان|آزمایش)(?:ی)?|آره|بله|نه|خیر|باشه|اوکی|چشم|حله|فهمیدم"
        # a question word, or not following
        r"|چی|چرا|چطور|کی|یعنی\s*چی|چی\s*شد|متوجه\s*نشدم|نفهمیدم"
        # a problem, a question or a wish for help with nothing said about what
        r"|(?:یه|یک)?\s*مشکل(?:ی)?\s*(?:داشتم|دارم|(?:برام\s*)?پیش\s*(?:اومده|آمده))"
        r"|(?:یه|یک)?\s*س[وؤ]ال(?:ی)?(?:\s*(?:دارم|داشتم))?|کمک\s*(?:می[\s\u200c]*خوام|لازم\s*دارم)"
        r"|کار\s*نمی[\s\u200c]*کنه|خرابه|کسی\s*(?:اونجا(?:ست|س)?|هست)"
    ),
    courtesy=(
        # greetings, the one addressed, and thanks (S: a space, a half-space or none, as typed)
        r"(?:با\s*)?(?:عرض\s*)?سلام(?:[\s\u200c]*علیکم)?(?:\s*(?:و\s*)?(?:عرض\s*)?(?:ادب|احترام"
        r"|خسته\s*نباشید))*(?:\s*(?:عرض\s*شد|مجدد|دوباره|(?:دوستان|عزیزان|رفقا)(?:\s*پشتیبانی)?|خوبید|خوبین))?"
        r"|بازم\s*سلام|درود(?:\s*بر\s*شما)?|(?:وقت|روز|صبح|عصر|شب|اوقات)(?:\u200c?(?:تون|تان))?[\s\u200c]*بخیر"
        r"|عرض\s*ادب|(?:کارشناس|پشتیبان|پشتیبانی|همکار|مدیر)(?:ان)?\s*(?:محترم|عزیز)|(?:عزیزان|کارشناس)\s*پشتیبانی"
        r"|امیدوارم\s*حال(?:تون|تان)\s*خوب\s*باشه|حال(?:تون|تان|ت)\s*خوبه|(?:دوباره|باز(?:م)?)\s*منم"
        r"|خسته[\s\u200c]*نباشی[دن]|ممنون(?:م|[\s\u200c]*میشم)?|مرسی+(?:\s*(?:از\s*شما|عزیزم))?|متشکرم"
        r"|سپاس(?:گزارم|\s*فراوان)?|با[\s\u200c]*(?:تشکر|سپاس(?:\s*فراوان)?|احترام)|تشکر"
        r"|(?:خیلی|واقعا)\s*ممنون(?:م|[\s\u200c]*میشم)?|پیشاپیش\s*(?:ممنون(?:م)?|(?:از\s*(?:لطف|پاسخگویی)(?:\s*شما|تون"
        r"|تان)?\s*)?(?:سپاسگزارم|ممنونم))|ممنون\s*از\s*(?:شما|لطف(?:تون|تان)|(?:صبر\s*و\s*)?حوصل(?:تون|ه\s*تون|ه‌تون)"
        r"|وقتی\s*که\s*گذاشتید|راهنمایی(?:تون|تان))|لطفا|لطفاً|لطفن|قربان(?:ت|تون|\s*شما)?"
        r"|قربون(?:ت|تون|\s*دست(?:ت|تون))"
        r"|دم(?:ت|تون)\s*گرم|مخلص(?:یم|م)?|دست(?:ت|تون|تان)\s*درد\s*نکنه|ارادتمند|روز(?:تون|تان)\s*خوش|موفق\s*باشید"
        r"|خدا\s*(?:نگهدار|حافظ)|خداحافظ"
        # apologies for asking, and announcing a question
        r"|(?:ببخشید|عذر[\s\u200c]*(?:می[\s\u200c]*)?خوام|معذرت[\s\u200c]*(?:می[\s\u200c]*)?خوام|شرمنده)(?:\s*(?:که"
        r"|ولی|اگه))?(?:\s*(?:دوباره|باز))?(?:\s*مزاحم(?:تون)?[\s\u200c]*(?:(?:می[\s\u200c]*)?شم|شدم))?"
        r"|(?:ببخشید|شرمنده)\s*(?:اگه\s*)?(?:طولانی\s*شد|غلط\s*(?:املایی|تایپی)\s*(?:دارم|داره)|س[وؤ]الم\s*تکراریه)"
        r"|(?:یه|یک)\s*س[وؤ]ال(?:ی)?\s*(?:داشتم|دارم)(?:\s*ازتون)?|س[وؤ]الم\s*اینه(?:\s*که)?"
        r"|(?:می)?[\s\u200c]*خواستم\s*(?:یه\s*چیزی\s*)?بپرسم(?:\s*که)?|ممکنه\s*یه\s*س[وؤ]ال\s*بپرسم"
        r"|(?:یه\s*)?(?:راهنمایی|کمک)(?:ی)?[\s\u200c]*(?:می[\s\u200c]*)?خواستم"
        r"|یه\s*مشکلی\s*(?:برام|برامون)\s*پیش\s*(?:اومده|آمده)|الو+|کسی\s*(?:اونجا\s*|آنلاین\s*)?(?:هست|نیست"
        r"|آنلاینه)(?:\s*جواب\s*بده)?|کسی\s*جواب\s*نمی[\s\u200c]*ده|چرا\s*کسی\s*جواب\s*نمیده|پشتیبانی(?=\s*[؟?])"
        r"|آقا(?:\s*یه\s*لحظه)?|ببین(?:ید)?|خب|راستش(?:\s*رو\s*بخوای[نید])?"
        # a player in a hurry (فوری, سریع جواب بدید, کمکم کنید): speed or help asked for. فوری only where
        # the text goes on: closing one, it is what is asked for (برداشت فوری, an instant withdrawal), and so
        # after the errand it names when لطفا follows (برداشت فوری لطفا)
        r"|فوری(?=[\s,.!:;؛،~]*[^\s,.!:;؛،~])|خیلی\s*فوریه|(?<!برداشت )(?<!واریز )(?<!پرداخت )(?<!تسویه )فوری\s*لطفا"
        r"|عجله\s*دارم|اورژانسی(?:ه)?|کمک(?=\s*!)"
        r"|(?:سریع|زود)[\s\u200c]*(?:تر[\s\u200c]*)?(?:جواب[\s\u200c]*(?:بدید|بدین|بده|بدهید)|رسیدگی\s*کنید|باشید)"
        # "faster" only beside لطفا: alone it may be what is asked (برداشت سریع‌تر); so فعلا (for now, or
        # bye for now): حسابمو ببندید فعلا asks for a break, not a closing
        r"|(?:سریع|زود)[\s\u200c]*تر[\s\u200c]*(?:لطفا|لطفاً|لطفن)|(?:لطفا|لطفاً|لطفن)\s*(?:سریع|زود)[\s\u200c]*تر"
        r"|(?:تو\s*رو|تورو)\s*خدا|خواهش[\s\u200c]*(?:می[\s\u200c]*)?کنم"
        r"|(?:میشه\s*)?(?:کمک|راهنمایی)(?:م)?[\s\u200c]*(?:کنید|کنین|کن|بفرمایید)"
        r"|(?:لطف[\s\u200c]*(?:می[\s\u200c]*)?کنید|لطفا|لطفاً|لطفن)\s*(?:جواب|پاسخ)\s*(?:بدید|بدین|بده|دهید)"
        r"|(?:جواب|پاسخ)\s*(?:بدید|بدین|دهید)\s*دیگه|ممنون[\s\u200c]*(?:می[\s\u200c]*)?شم"
        r"|(?:پیگیری|بررسی|رسیدگی)\s*(?:کنید|بفرمایید)|(?:الان\s*)?تکلیف\s*(?:من\s*)?چیه"
        r"|منتظر\s*(?:جواب(?:تون|تان|م)?|پاسخ(?:\s*شما)?)(?:م|\s*هستم)?|(?:هنوز\s*)?منتظرم(?:\s*ها)?|یه\s*کاری\s*بکنید"
        r"|(?:(?:الان|حالا|اول|قبلش|دیگه|سریع)\s*)?(?:باید\s*)?(?:چیکار|چکار|چه\s*کار|چه)\s*(?:باید\s*)?(?:بکنم|کنم)"
        # what a player feels, not what it is about
        r"|اعصابم\s*خورد\s*(?:شده|شد)|اعصاب\s*خورد\s*کنه|عصبانی[\s\u200c]*(?:ام|م)"
        r"|(?:دارم\s*)?دیوونه\s*(?:میشم|شدم)(?:\s*به\s*خدا)?|کلافه[\s\u200c]*(?:ام|شدم)"
        r"|(?:دیگه\s*)?خسته\s*شدم(?:\s*دیگه)?|خسته[\s\u200c]*م\s*کردین|و?ای\s*(?:بابا|خدا)|اه+"
        r"|خیلی\s*(?:ناراحتم|عصبانیم)|ناراحتم|حالم\s*بده|(?:آخه\s*)?این\s*چه\s*وضع(?:شه|یه|یه\s*است)|آخه"
        r"|مسخره(?:\s*ست|\s*است|ست)?|واقعا(?:\s*که)?|این\s*درست\s*نیست"
    ),
)
