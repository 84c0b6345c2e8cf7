import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.index.analysis import normalize
from helpcenter.languages import could_be_wrong_layout
from helpcenter.languages.fa import from_keys as latin_to_persian
from helpcenter.languages.fa import to_keys as persian_to_latin

PERSIAN_LETTERS = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو"  # unshifted: Caps Lock undoing would mix up all-shifted words


@pytest.mark.parametrize("typed, meant", [
    ("fvnhaj", "برداشت"), (",hvdc", "واریز"), ("vlc uf,v", "رمز عبور"), (";a h,j", "کش اوت"),
    ("majdfhkd", "پشتیبانی"), ("'vna", "گردش"), ("ahvC", "شارژ"), ("Hdkv", "آینر"),
])
def test_english_layout_read_as_persian(typed, meant):
    assert latin_to_persian(typed) == meant


def test_caps_lock_is_undone_but_shift_is_kept():
    assert latin_to_persian("FVNHAJ") == "برداشت"
    assert latin_to_persian("ahvC") == "شارژ"


@given(st.text(alphabet=PERSIAN_LETTERS, min_size=1, max_size=12))
def test_persian_round_trip(word):
    assert latin_to_persian(persian_to_latin(word)) == word


@pytest.mark.parametrize("word, expected", [
    ("fvnhaj", True), (",hvdc", True), ("vlc", True), ("'vna", True), ("usdt", True),
    ("برداشت", False), ("1234", False), (",,", False), ("환전", False),
])
def test_could_be_wrong_layout(word, expected):
    assert could_be_wrong_layout(word) is expected


def test_converted_text_normalizes_like_typed_text():
    # Shift+D gives Arabic yeh on the Persian keyboard; the normalizer makes it Persian yeh
    assert normalize(latin_to_persian("vDc")) == normalize("ریز")


# --- the registry ---------------------------------------------------------------------------------

def test_the_registry_lists_each_language_module_once_in_reading_order():
    from helpcenter import languages

    assert languages.LANGS == ("en", "ko", "fa")
    assert languages.DEFAULT.code == "en"
    assert [lang.code for lang in languages.by_fallback()] == ["en", "ko", "fa"]
    assert {lang.code: lang.direction for lang in languages.LANGUAGES} == {"en": "ltr", "ko": "ltr", "fa": "rtl"}


@pytest.mark.parametrize("word, code", [
    ("환전", "ko"), ("ㅎㅈ", "ko"), ("برداشت", "fa"), ("withdrawal", "en"), ("123", "en"), ("usdt입금", "en"),
    ("1회", "ko"), ("", "en"),
])
def test_script_of_names_the_language_of_the_first_letter(word, code):
    from helpcenter.languages import script_of

    assert script_of(word) == code


def test_each_language_types_its_own_way():
    from helpcenter.languages import get

    assert get("ko").typing_states("환전") == ["ㅎ", "호", "화", "환", "홙", "환저", "환전"]
    assert get("en").typing_states("bet") == ["b", "be", "bet"]
    assert get("ko").keyboard("ghkswjs") == "환전" and get("fa").keyboard("fvnhaj") == "برداشت"
    assert get("en").keyboard is None


def test_the_manifest_records_every_language_s_analyzer():
    from helpcenter.index.analysis import ANALYZER_CONFIG
    from helpcenter.languages import LANGS

    assert set(ANALYZER_CONFIG["languages"]) == set(LANGS)
    assert ANALYZER_CONFIG["languages"]["ko"]["engine"] == "kiwipiepy"


# --- Persian dates: the Solar Hijri calendar ----------------------------------------------------------

@pytest.mark.parametrize("day, shown", [
    ((2025, 3, 21), "۱ فروردین ۱۴۰۴"),  # Nowruz 1404
    ((2024, 3, 20), "۱ فروردین ۱۴۰۳"),  # Nowruz 1403 (the equinox fell on 20 March)
    ((2025, 3, 20), "۳۰ اسفند ۱۴۰۳"),  # 1403 is a leap year: Esfand has 30 days
    ((2023, 9, 23), "۱ مهر ۱۴۰۲"),
    ((2026, 11, 20), "۲۹ آبان ۱۴۰۵"),
    ((2000, 1, 1), "۱۱ دی ۱۳۷۸"),
])
def test_persian_dates_are_solar_hijri(day, shown):
    import datetime as dt

    from helpcenter.languages import get

    assert get("fa").format_date(dt.date(*day)) == shown
    assert get("fa").format_date(dt.datetime(*day, 23, 59)) == shown  # a timestamp's day



@pytest.mark.parametrize("word, first", [
    ("سایتا", "سایت"), ("بازیاتون", "بازیا"), ("بونوسو", "بونوس"), ("کلاهبرداریه", "کلاهبرداری"),
    ("تلگرامتون", "تلگرام"), ("شرطم", "شرط"), ("رمزم", "رمز"),  # "my": a possessive leaves three letters
    ("نوتیفیکیشنای", "نوتیفیکیشنا"), ("بردای", "بردا"),  # the plural before a noun: its -ی off first
])
def test_spoken_persian_endings_are_offered_least_taken_off_first(word, first):
    from helpcenter.languages import fa

    stems = fa.spoken_stems(word)
    assert stems[0] == first
    assert len(set(map(len, stems))) == len(stems) and stems == sorted(stems, key=len, reverse=True)


@pytest.mark.parametrize("word, not_it", [
    ("فردا", "فرد"), ("جام", "جا"), ("مالیات", "مالی"), ("پارو", "پار"), ("کوزه", "کوز"), ("حتما", "حتم"),
    ("دقیقا", "دقیق"), ("میکنه", "میکن"), ("فردای", "فرد"), ("بالای", "بال"),
])
def test_words_that_only_look_spoken_keep_their_ending(word, not_it):
    from helpcenter.languages import fa

    assert not_it not in fa.spoken_stems(word)


@pytest.mark.parametrize("word, noun", [("نوتیفیکیشنای", "نوتیفیکیشن"), ("سایتای", "سایت"), ("کاربرای", "کاربر")])
def test_the_spoken_plural_before_a_noun_is_offered_without_its_ending(word, noun):
    from helpcenter.languages import fa

    assert noun in fa.spoken_stems(word)


def test_spoken_persian_vowels_are_offered_written():
    from helpcenter.languages import fa

    # spoken -un-/-um- for written -ān-/-ām- (or -vān-): remained, finished, the same, I can
    assert "مانده" in fa.written_vowels("مونده") and "تمام" in fa.written_vowels("تموم")
    assert "همان" in fa.written_vowels("همون") and "میتوانم" in fa.written_vowels("میتونم")
    assert fa.written_vowels("ونده") == [] and fa.written_vowels("برداشت") == []  # a first و is no vowel


def test_persian_sound_alike_letters_are_offered_after_the_first_letter():
    from helpcenter.languages import fa

    assert "واریز" in fa.confusable_spellings("واریذ") and "حساب" in fa.confusable_spellings("حساپ")
    assert "پیام" not in fa.confusable_spellings("بیام")  # ب- is the verb's prefix as often as a typo
    # ش typed without its dots: برداستم is برداشتم; both of س's groups are tried
    assert "برداشتم" in fa.confusable_spellings("برداستم") and "برداصتم" in fa.confusable_spellings("برداستم")
    assert fa.confusable_spellings("سفر") == []  # short words: a swap makes another word (صفر)


def test_chat_interjections_are_dropped_unless_nothing_else_is_left():
    from helpcenter.languages.en import strip_interjections
    from helpcenter.search.reading import split_query

    assert strip_interjections(["wtf", "where", "is", "my", "money"]) == ["where", "is", "my", "money"]
    assert strip_interjections(["declined", "smh!!", "(lol)"]) == ["declined"]
    assert strip_interjections(["lol"]) == ["lol"]
    assert strip_interjections(["lollipop", "omega"]) == ["lollipop", "omega"]
    # the word before a dropped last interjection is finished, not being typed
    assert split_query("withdrawal pls") == (["withdrawal"], False)
    assert split_query("pls withdr") == (["withdr"], True)
