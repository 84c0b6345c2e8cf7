import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.search import ranking


def test_rrf_orders_by_reciprocal_rank_and_breaks_ties_by_key():
    fused = ranking.rrf([{"a": 3.0, "b": 2.0}, {"b": 9.0, "a": 1.0}], k=60)
    assert fused["a"] == pytest.approx(fused["b"])
    assert [k for k, _ in ranking.ranked(fused)] == ["a", "b"]  # tie -> by key
    fused = ranking.rrf([{"a": 3.0, "b": 2.0}, {"b": 9.0, "c": 1.0}], k=60)
    assert ranking.ranked(fused)[0][0] == "b"


def test_normalize_and_combine():
    assert ranking.normalize({"a": 2.0, "b": 4.0}) == {"a": 0.0, "b": 1.0}
    assert ranking.normalize({"a": 5.0}) == {"a": 1.0}
    assert ranking.normalize({"a": 1.0, "b": 3.0}, floor=2.0) == {"a": 0.0, "b": 1.0}
    assert ranking.combine([{"a": 1.0}, {"a": 0.5, "b": 1.0}], [0.5, 0.5]) == {"a": 0.75, "b": 0.5}


def test_first_lifts_the_given_articles_above_every_other_in_their_own_order():
    scores = {"a": 3.0, "b": 2.0, "c": 1.0, "d": -4.0}
    lifted = ranking.first(scores, ["d", "c", "missing"])
    assert [s for s, _ in ranking.ranked(lifted)] == ["c", "d", "a", "b"]
    assert lifted["a"] == scores["a"] and lifted["b"] == scores["b"]  # the rest keep their scores
    assert ranking.first(scores, ["missing"]) == scores and ranking.first(scores, []) == scores
    assert ranking.first({}, ["a"]) == {}


def test_phrase_matches_needs_the_whole_phrase():
    entries = [(frozenset({"코인", "충전"}), "crypto"), (frozenset({"충전"}), "deposit")]
    got = ranking.phrase_matches(frozenset({"코인", "충전", "주소"}), frozenset({"코인", "충전", "주소"}), entries)
    assert got["crypto"] > got["deposit"]
    assert ranking.phrase_matches(frozenset({"주소"}), frozenset({"주소"}), entries) == {}


def test_a_synonym_group_covers_one_word_of_the_query_however_many_words_its_phrase_has():
    # "withdrawal stuck": the list article's keyword "take money out" is one way to say the one word
    # withdraw, not three words of the query; the article about what else was asked wins the best bet
    typed = frozenset({"withdraw", "stuck"})
    group = (frozenset({"withdraw"}), frozenset({"take", "money", "out", "cashout", "win"}))
    entries = [(frozenset({"take", "money", "out"}), "how-to-withdraw"),
               (frozenset({"withdraw", "stuck"}), "withdrawal-pending"),
               (frozenset({"cashout", "stuck"}), "cashout-stuck"),
               (frozenset({"withdraw", "win"}), "withdraw-winnings")]
    expanded = typed | group[1]
    got = ranking.phrase_matches(typed, expanded, entries, [group])
    assert got["how-to-withdraw"] == pytest.approx(0.25)  # half a word (not typed) of two
    assert got["withdrawal-pending"] == 1.0
    assert got["cashout-stuck"] == pytest.approx(0.75)  # one typed word and the group at half
    # "withdraw winnings": winnings says withdraw again, which the phrase has: it covers one word
    assert got["withdraw-winnings"] == pytest.approx(0.5)
    # without the groups every word not typed counts half: the list article covers three quarters
    plain = ranking.phrase_matches(typed, expanded, entries)
    assert plain["how-to-withdraw"] == pytest.approx(0.75) and plain["withdraw-winnings"] == pytest.approx(0.75)
    # two groups count as two words; a word in no group (a completion while typing) still counts half
    other = (frozenset({"stuck"}), frozenset({"late", "delay"}))
    got = ranking.phrase_matches(typed, expanded | other[1] | {"pend"},
                                 [(frozenset({"money", "out", "delay"}), "a"), (frozenset({"pend", "money"}), "b")],
                                 [group, other])
    assert got == {"a": pytest.approx(0.5), "b": pytest.approx(0.5)}  # each word of "a" at half: 0.75


@given(st.dictionaries(st.text(max_size=3), st.sampled_from([0.0, 0.5, 1.0, 2.5, -1.0])), st.integers(0, 12))
def test_top_is_the_head_of_the_full_ranking_ties_included(scores, n):
    assert ranking.top(scores, n) == ranking.ranked(scores)[:n]
