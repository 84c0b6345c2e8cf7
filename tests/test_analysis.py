import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpcenter.index.analysis import analyze, char_bigrams, normalize

ZWNJ = "\u200c"


def test_korean_particles_and_endings_are_dropped():
    for text in ("환전이", "환전을", "환전은", "환전도", "환전으로"):
        assert analyze(text) == ("환전",), text
    assert analyze("충전했는데 안들어옴") == ("충전", "들어오")


def test_korean_quit_is_read_as_one_verb_though_kiwi_splits_it_into_an_adverb_and_a_stop_word():
    # 그만/MAG + 하/VV: both dropped before, so "I want to quit" had no term to search with
    assert analyze("그만하고 싶어요") == analyze("그만 하고 싶어요") == ("그만하",)
    assert analyze("도박 그만하래요") == ("도박", "그만하")
    assert analyze("문자 그만 보내주세요") == ("문자", "보내")  # "stop sending": no 하, the adverb stays dropped
    assert analyze("잘 안돼요") == ()  # other adverbs too


def test_an_english_noun_is_read_as_its_verb_where_players_use_either():
    assert analyze("account recovery") == analyze("account recover")
    assert analyze("verification") == analyze("verify") == analyze("verified")
    assert analyze("registration") == analyze("register")
    assert analyze("self-exclusion") == analyze("self exclude")
    assert analyze("expiry") == analyze("expire") and analyze("suspension") == analyze("suspended")
    assert analyze("exclusive") != analyze("exclude")  # its stem is exclusion's, not its meaning


def test_a_korean_verb_in_eojida_is_one_stem_whether_kiwi_splits_it_or_not():
    # Kiwi splits 꺼짐 into 끄 + 어 + 지 but keeps 꺼졌어요 whole (꺼지): the keyword 폰 꺼짐 and the player's
    # 폰이 꺼졌어요 shared no verb
    assert analyze("폰 꺼짐") == analyze("폰이 꺼졌어요") == analyze("폰 꺼져요") == ("폰", "꺼지")
    assert analyze("잔액 없어졌어요") == analyze("잔액 없어짐") == ("잔액", "없어지")
    assert analyze("지워졌어요") == analyze("지워짐") == ("지워지",)  # 우 + 어 written 워


def test_korean_keeps_foreign_words_and_numbers():
    assert analyze("USDT 입금 3번") == ("usdt", "입금", "3")


def test_persian_half_space_variants_match():
    assert analyze(f"می{ZWNJ}خواهم") == analyze("میخواهم") == analyze("می خواهم")
    assert analyze(f"درخواست{ZWNJ}ها") == analyze("درخواستها") == analyze("درخواست ها") == ("درخواست",)


def test_persian_arabic_letters_and_digits():
    assert analyze("كيف پول") == analyze("کیف پول")
    assert analyze("۲۴ ساعت") == analyze("٢٤ ساعت") == ("24", "ساعت")
    assert normalize("بَرداشـــت") == "برداشت"  # diacritics and tatweel


def test_persian_colloquial_object_ending():
    assert analyze("پولمو") == analyze("پول")
    assert analyze("برداشتم") == analyze("برداشت")


def test_spoken_persian_function_words_weigh_nothing():
    # رو (the object marker), یه (a), تو (in), دیگه, چطوری: a player's spoken Persian is its written
    # Persian plus these; counted as words, they lowered the share of a query's words the index knows
    assert analyze("چطوری ضرایب رو اعشاری نشون بدم") == analyze("ضریب اعشاری نشون بدم")
    assert analyze("یه بونوس دیگه تو حسابم") == analyze("بونوس حساب")
    assert analyze("کدوم مرورگر") == ("مرورگر",)
    assert analyze("روی صفحه") == ("صفحه",) and analyze("تور") == ("تور",)  # whole words only


def test_english_stemming_and_stopwords():
    assert analyze("Withdrawals pending") == analyze("withdrawal pend")
    assert "the" not in analyze("the withdrawal")
    assert "not" in analyze("deposit not received")


def test_english_irregular_forms_of_our_verbs_are_read_as_the_verb():
    # Porter leaves "withdrew" and "won" alone and cuts "winnings" to "winn": none met its article's word
    assert analyze("withdrew") == analyze("withdrawn") == analyze("withdrawal")
    assert analyze("won") == analyze("winnings") == analyze("win")
    assert analyze("left") != analyze("leave")  # an everyday word of its own is not read as a verb


def test_english_negations_are_read_as_not():
    # "won't" was the runs "won" + "t", and "won" is read as the verb win: "site won't load" met winnings
    assert analyze("site won't load") == analyze("site won\u2019t load") == analyze("site not load")
    assert "win" not in analyze("it won't let me withdraw") and analyze("didn't arrive") == analyze("not arrived")
    assert analyze("won my bet") == analyze("win bet")
    # what an apostrophe or a chat spelling leaves of a stop word is one too
    assert analyze("I've deposited, u said it's instant") == analyze("deposited said instant")


def test_english_slash_shorthand_for_withdrawal_is_one_word():
    # split at the slash, "w" and "d" are stop words: "w/d pending" lost its subject
    assert analyze("w/d pending") == analyze("W/Ds pending") == analyze("withdrawal pending")
    assert analyze("and/or w/dx") == analyze("w dx")  # other slashes split as before


# --- property: every spelling variant of a Persian word normalizes to one form --------------------

_fa_letters = st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", min_size=2, max_size=6)
_prefix = st.sampled_from(["می", "نمی"])
_suffix = st.sampled_from(["ها", "های", "هایی", "تر", "ترین", "تان", "شان"])
_joiner = st.sampled_from(["", ZWNJ, " ", "\u200b", "\u00ac"])
_arabic = str.maketrans({"ی": "ي", "ک": "ك"})


@settings(max_examples=300, deadline=None)
@given(stem=_fa_letters, prefix=_prefix, suffix=_suffix, j1=_joiner, j2=_joiner, arabic=st.booleans(),
       tatweel=st.booleans(), digits=st.sampled_from(["۱۲", "١٢", "12"]))
def test_normalizer_maps_every_variant_to_one_form(stem, prefix, suffix, j1, j2, arabic, tatweel, digits):
    canonical = normalize(f"{prefix}{ZWNJ}{stem}{ZWNJ}{suffix} 12")
    variant = f"{prefix}{j1}{stem}{j2}{suffix} {digits}"
    if arabic:
        variant = variant.translate(_arabic)
    if tatweel:
        variant = variant[:2] + "\u0640" + variant[2:]
    assert normalize(variant) == canonical
    assert analyze(variant) == analyze(canonical)


@pytest.mark.parametrize("word, stem_", [
    ("کارت‌هایم", "کارت"),  # my cards: plural + possessive, one ending
    ("کتاب‌هایتان", "کتاب"),  # your books
    ("برداشت‌هایمان", "برداشت"),  # our withdrawals
    ("تراکنش‌هاشون", "تراکنش"),  # their transactions, spoken
    ("کارتهام", "کارت"),
    ("برداشت‌ها", "برداشت"),
    ("حسابم", "حساب"),
    ("رفتیم", "رفتیم"),  # "we went": the verb's -یم is not "my"
    ("ضرایب", "ضریب"),  # odds: an Arabic broken plural, read as its singular
    ("مدارکم", "مدرک"),  # my documents: the possessive, then the broken plural
    ("قوانین", "قوانین"),  # rules (a bonus's terms) are not قانون, the law
    ("کردیم", "کردیم"),
    ("سهام", "سهام"),  # too short to lose an ending
    ("خسته‌ام", "خسته"),  # "I am tired": a silent heh's ending, not the plural ها + "my"
    ("خسته ام", "خسته"),
    ("رفته‌ایم", "رفته"),  # "we have gone"
    ("خانه‌اش", "خانه"),  # "his house"
    ("شماره‌ام", "شماره"),  # "my number"
    ("نامه‌ای", "نامه"),  # "a letter"
    ("کرده‌اند", "کرده"),
])
def test_persian_stemming_of_plural_possessives_and_verbs(word, stem_):
    from helpcenter.languages.fa import normalize, stem

    assert stem(normalize(word)) == stem_
    assert analyze(word) == (stem_,)


def test_character_bigrams_mark_each_word_at_both_ends_in_any_script():
    assert char_bigrams("Pending!") == ("#p", "pe", "en", "nd", "di", "in", "ng", "g#")
    assert char_bigrams("출금 해") == ("#출", "출금", "금#", "#해", "해#")
    # after the Persian normalization: Arabic yeh and kaf read as Persian, a word as one
    assert char_bigrams("كي") == char_bigrams("کی") == ("#ک", "کی", "ی#")
    # a Korean paraphrase's other ending still shares the stem's bigrams (what morphemes may split otherwise)
    assert {"#비", "비밀", "밀번", "번호"} <= set(char_bigrams("비밀번호를")) & set(char_bigrams("비밀번호가"))
    assert char_bigrams("  ") == ()
