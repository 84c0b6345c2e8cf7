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


def test_phrase_matches_needs_the_whole_phrase():
    entries = [(frozenset({"코인", "충전"}), "crypto"), (frozenset({"충전"}), "deposit")]
    got = ranking.phrase_matches(frozenset({"코인", "충전", "주소"}), frozenset({"코인", "충전", "주소"}), entries)
    assert got["crypto"] > got["deposit"]
    assert ranking.phrase_matches(frozenset({"주소"}), frozenset({"주소"}), entries) == {}


@given(st.dictionaries(st.text(max_size=3), st.sampled_from([0.0, 0.5, 1.0, 2.5, -1.0])), st.integers(0, 12))
def test_top_is_the_head_of_the_full_ranking_ties_included(scores, n):
    assert ranking.top(scores, n) == ranking.ranked(scores)[:n]
