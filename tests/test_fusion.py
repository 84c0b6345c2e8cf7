"""Fusion objects: pure, chosen by name, one rule for partial evidence."""
import pytest

from helpcenter.search.fusion import RRF, Combine, make_fusion
from helpcenter.search.ranking import saturate


def test_combine_weighs_saturated_keyword_scaled_vector_and_best_bets():
    fused = Combine().fuse({"a": 20.0, "b": 5.0}, {"a": 0.9, "b": 0.8, "c": 0.7}, {"b": 1.0})
    assert fused["a"] == pytest.approx(0.75 * 0.5 + 0.25 * 1.0)  # 20 saturates to 0.5; the top cosine to 1
    assert fused["b"] == pytest.approx(0.75 * saturate(5.0) + 0.25 * 0.0 + 0.2)  # the median maps to 0
    assert fused["c"] == 0.0


def test_partial_evidence_is_fused_alike_by_every_fusion():
    for fusion in (Combine(), RRF()):
        # no vector run (a keystroke): saturated keyword scores and best bets
        assert fusion.fuse({"a": 20.0}, {}, {"b": 1.0}) == {"a": 0.75 * 0.5, "b": 0.2}
        # no keyword run: best bets when there are any, else the vector run
        assert fusion.fuse({}, {"a": 0.8}, {"b": 1.0}) == {"b": 0.2}
        assert fusion.fuse({}, {"a": 0.8}, {}) == {"a": 0.8}


def test_rrf_uses_only_the_order():
    fused = RRF().fuse({"a": 100.0, "b": 1.0}, {"b": 0.9, "a": 0.1}, {})
    assert fused["a"] == fused["b"] == pytest.approx(1 / 61 + 1 / 62)


def test_fusions_are_chosen_by_name():
    assert make_fusion() == Combine() and make_fusion("rrf") == RRF()
    with pytest.raises(ValueError, match="combine, rrf"):
        make_fusion("borda")


def test_search_and_suggest_run_one_pipeline(searcher, monkeypatch):
    plans = []
    run = type(searcher).run
    monkeypatch.setattr(type(searcher), "run", lambda self, plan, allow=None: plans.append(plan) or run(self, plan, allow))
    searcher.search("withdrawal time", "en")
    searcher.suggest("withdrawal ti", "en")
    assert [p.query for p in plans] == ["withdrawal time", "withdrawal ti"]
    assert plans[0].encode == "withdrawal time" and plans[1].encode is None  # a keystroke: no encoder
