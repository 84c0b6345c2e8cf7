import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.languages import hangul

syllables = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6)


@pytest.mark.parametrize("word, keys", [
    ("환전", "ghkswjs"), ("비밀번호", "qlalfqjsgh"), ("꽁머니", "Rhdajsl"), ("있어", "dlTdj"), ("닭", "ekfr"),
    ("의사", "dmltk"), ("뷁", "qnpfr"),
])
def test_two_beolsik_keys_both_ways(word, keys):
    assert hangul.to_keys(word) == keys
    assert hangul.from_keys(keys) == word


def test_decompose_splits_compound_vowels_and_finals_into_keystrokes():
    assert hangul.decompose("환전") == "ㅎㅗㅏㄴㅈㅓㄴ"
    assert hangul.decompose("닭") == "ㄷㅏㄹㄱ"
    assert hangul.decompose("ㄳ") == "ㄱㅅ"
    assert hangul.decompose("usdt 충전") == "usdt ㅊㅜㅇㅈㅓㄴ"


@pytest.mark.parametrize("typed, word", [
    ("환ㅈ", "환전"), ("환저", "환전"), ("홙", "환전"), ("호", "환전"), ("비밀버", "비밀번호"), ("비밃", "비밀번호"),
    ("한", "하나"),
])
def test_half_typed_syllables_are_keystroke_prefixes(typed, word):
    assert hangul.decompose(word).startswith(hangul.decompose(typed))


def test_nfkc_jamo_are_read_as_compatibility_jamo():
    nfkc = unicodedata.normalize("NFKC", "환ㅈ")  # NFKC turns ㅈ into a conjoining jamo
    assert nfkc != "환ㅈ"
    assert hangul.to_compat(nfkc) == "환ㅈ"
    assert hangul.decompose(nfkc) == "ㅎㅗㅏㄴㅈ"


@pytest.mark.parametrize("text, initials", [
    ("비밀번호", "ㅂㅁㅂㅎ"), ("환전", "ㅎㅈ"), ("비밀번호 찾기", "ㅂㅁㅂㅎㅊㄱ"), ("ㅎㅈ", "ㅎㅈ"), ("otp 설정", "ㅅㅈ"),
])
def test_choseong(text, initials):
    assert hangul.choseong(text) == initials


@pytest.mark.parametrize("token, expected", [
    ("ㅎㅈ", True), ("ㅂㅁㅂㅎ", True), ("ㅎ", False), ("환ㅈ", False), ("ㅎㅏ", False), ("gw", False),
    (unicodedata.normalize("NFKC", "ㅎㅈ"), True),
])
def test_is_choseong_query(token, expected):
    assert hangul.is_choseong_query(token) is expected


def test_compose_is_the_ime_automaton():
    assert hangul.compose("ㅎㅗㅏㄴㅈ") == "홙"  # ㄴ+ㅈ make a compound final until a vowel comes
    assert hangul.compose("ㅎㅗㅏㄴㅈㅓ") == "환저"
    assert hangul.compose("ㄱㅏㄹㄱㅏ") == "갈가"  # a compound final gives its second letter away
    assert hangul.compose("ㅎㅈ") == "ㅎㅈ"  # no vowel: abbreviations stay bare
    assert hangul.compose("ㅗㅏ") == "ㅘ"
    assert hangul.compose("ㄱㅏ ㄴㅏ") == "가 나"


def test_ime_states_show_half_composed_syllables():
    assert hangul.ime_states("환전") == ["ㅎ", "호", "화", "환", "홙", "환저", "환전"]
    assert hangul.ime_states("하나") == ["ㅎ", "하", "한", "하나"]
    assert hangul.ime_states("otp 설정")[:4] == ["o", "ot", "otp", "otp "]
    assert hangul.ime_states("otp 설정")[-1] == "otp 설정"


@given(syllables)
def test_syllables_survive_keys_and_back(text):
    assert hangul.compose(hangul.decompose(text)) == text
    assert hangul.from_keys(hangul.to_keys(text)) == text
    states = hangul.ime_states(text)
    assert states[-1] == text and len(states) == len(hangul.decompose(text))


@pytest.mark.parametrize("text, stripped", [
    ("출금 안됨ㅠㅠ", "출금 안됨"), ("출금 안됨 ㅜㅜㅜ", "출금 안됨"), ("충전했는데 안들어옴 ㅡㅡ", "충전했는데 안들어옴"),
    ("오늘 픽 ㅋㅋㅋ 주세요", "오늘 픽 주세요"), ("해킹당한듯 ㄷㄷ", "해킹당한듯"), ("ㅎㅎ 환전", "환전"),
])
def test_jamo_emoticons_are_dropped(text, stripped):
    assert " ".join(hangul.strip_emoticons(text).split()) == stripped


@pytest.mark.parametrize("text", [
    "ㅂㅂ ㅊㄱ",  # initial consonants: 비번 찾기
    "ㅋㅋㅇㅌ",  # 카카오톡, abbreviated: a repeated consonant inside a run of initials
    "ㅋ", "ㅎㅈ",  # one consonant may begin an abbreviation being typed
    "ㅋㅋㅋ",  # nothing else left: as typed
    "환전 언제",
])
def test_abbreviations_and_words_are_kept(text):
    assert hangul.strip_emoticons(text) == text


def test_an_english_word_typed_on_the_korean_layout_keeps_its_vowel_keys():
    # "login" with the keyboard still in Korean: ㅜ is the n key here, not tears
    assert hangul.strip_emoticons("ㅣㅐ햐ㅜ 안돼요ㅠㅠ").split() == ["ㅣㅐ햐ㅜ", "안돼요"]
    assert hangul.to_keys("ㅣㅐ햐ㅜ") == "login"


def test_vowels_that_sound_alike_are_offered_one_syllable_at_a_time():
    assert "고객센터" in hangul.vowel_confusions("고객샌터")
    # ㅖ after a consonant is said [ㅔ]: 게좌 is 계좌, 졔한 제한; after ㅇ the two differ (어디에, not 어디예)
    assert "계좌" in hangul.vowel_confusions("게좌") and "제한" in hangul.vowel_confusions("졔한")
    assert "어디예" not in hangul.vowel_confusions("어디에")


def test_key_slips_swap_one_jamo_for_a_neighbouring_keys_or_a_final_said_alike():
    assert "비밀번호" in hangul.key_slips("비밀먼호")  # ㅁ (a) under ㅂ (q)
    assert "재설정" in hangul.key_slips("재설졍")  # ㅕ (u) above ㅓ (j)
    assert "이중인증" in hangul.key_slips("이중인즘")  # ㅁ for ㅇ, both nasal finals
    assert "캐시아웃" in hangul.key_slips("캐시아욷")  # ㄷ for ㅅ: both end a syllable as [t]
    assert "부엌" in hangul.key_slips("부억") and "앞" in hangul.key_slips("압")  # [k], [p]
    assert "갔" not in hangul.key_slips("간")  # a nasal is not said as a stop
    # Shift held or let go on the same key: ㅆ for ㅅ, ㄱ for ㄲ, ㅒ for ㅐ
    assert "정산" in hangul.key_slips("정싼") and "깍" in hangul.key_slips("각") and "얘" in hangul.key_slips("애")
    slips = hangul.key_slips("반")
    # ㅂ (q): ㅈ (w), ㅁ (a), ㅃ (Shift q); ㅏ (k): ㅓ (j), ㅣ (l), ㅑ (i), ㅐ (o), ㅡ (m); final ㄴ (s): ㅇ, ㅁ
    # (nasals; ㅁ, on a, counted once), ㅈ (w), ㄷ (e), ㅋ (z), ㅌ (x)
    assert set(slips) == {"잔", "만", "빤", "번", "빈", "뱐", "밴", "븐", "방", "밤", "밪", "받", "밬", "밭"}
    assert len(slips) == len(set(slips))
    assert hangul.key_slips("usdt") == [] and hangul.key_slips("ㅂ") == []
    assert set(hangul.vowel_confusions("왜")) == {"외", "웨"}
    assert hangul.vowel_confusions("환전") == [] and hangul.vowel_confusions("usdt") == []
