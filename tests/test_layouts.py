import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.index.analysis import normalize
from helpcenter.languages.layouts import could_be_wrong_layout, latin_to_persian, persian_to_latin

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
