"""The keyword index's precomputed impacts score exactly as Whoosh's own BM25F query does."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from helpcenter.content.articles import load_articles
from helpcenter.index.analysis import analyze, char_bigrams
from helpcenter.index.keyword import FIELD_BOOSTS, GRAMS, WEIGHTING, KeywordIndex, build_keyword_index
from helpcenter.index.synonyms import Synonyms

QUERIES = [
    {t: 1.0 for t in analyze("how long does a withdrawal take")},
    {t: 1.0 for t in analyze("reset my password")},
    {**{t: 1.0 for t in analyze("출금 언제 되나요")}, **{t: 0.6 for t in analyze("환전")}},
    {t: 1.0 for t in analyze("برداشت پول چقدر طول میکشه")},
    {t: 0.35 for t in analyze("bitcoin deposit confirmations")},
    {"withdraw": 1.0, "nosuchterm": 1.0},
]


def whoosh_scores(path, weighted: dict[str, float]) -> dict[str, float]:
    ix = whoosh_index.open_dir(str(path))
    with ix.searcher(weighting=WEIGHTING) as s:
        query = Or([Term(f, t, boost=w) for t, w in weighted.items() for f in FIELD_BOOSTS])
        return {r["key"]: r.score for r in s.search(query, limit=None)}


@pytest.mark.parametrize("weighted", QUERIES, ids=range(len(QUERIES)))
def test_impacts_equal_whoosh_bm25f(searcher, weighted):
    kw = searcher.index.keyword
    ours = {h.key: h.score for h in kw.search(weighted, limit=100)}
    theirs = whoosh_scores(searcher.index.path / "keyword", weighted)
    assert theirs, "the query should match something in the test content"
    assert ours.keys() == theirs.keys()
    for key, score in theirs.items():
        assert ours[key] == pytest.approx(score, rel=1e-9)


def test_results_are_best_first_and_limited(searcher):
    kw = searcher.index.keyword
    query = {t: 1.0 for t in analyze("withdrawal deposit password account")}
    hits = kw.search(query, limit=2)
    full = kw.search(query, limit=100)
    assert len(full) >= 3 and len(hits) == 2 and [h.key for h in hits] == [h.key for h in full[:2]]
    assert [h.score for h in full] == sorted((h.score for h in full), reverse=True)


def test_no_known_term_gives_nothing(searcher):
    kw = searcher.index.keyword
    assert kw.search({"zzzz": 1.0}) == []
    assert kw.search([]) == []
    assert kw.known_fraction(["withdraw", "zzzz"]) == 0.5
    assert kw.known_fraction([]) == 0.0
    assert kw.known_fraction(["withdraw", "zzzz"], known_too=["zzzz"]) == 1.0  # a synonym stands for it


BIGRAM_TEXTS = ["비밀번호 재설정하려면", "رمزعبور فراموش", "출금 بردا withdrawl"]


@pytest.mark.parametrize("text", BIGRAM_TEXTS)
def test_bigram_impacts_equal_whoosh_bm25_over_the_bigram_field(searcher, text):
    grams = Counter(char_bigrams(text))
    ix = whoosh_index.open_dir(str(searcher.index.path / "keyword"))
    with ix.searcher(weighting=WEIGHTING) as s:
        theirs = {r["key"]: r.score for r in s.search(Or([Term(GRAMS, g, boost=n) for g, n in grams.items()]),
                                                       limit=None)}
    scores = searcher.index.keyword.gram_scores(grams)
    ours = {searcher.index.keyword.keys[d]: float(scores[d]) for d in np.flatnonzero(scores)}
    assert theirs and ours.keys() == theirs.keys()
    for key, score in theirs.items():
        assert ours[key] == pytest.approx(score, rel=1e-9)


def test_bigrams_are_scored_apart_from_the_bm25f_fields(searcher):
    kw = searcher.index.keyword
    assert kw.gram_scores({"#비": 1.0}) is not None  # a bigram is a term of the bigram field only
    assert kw.scores({"#비": 1.0}) is None and kw.known_fraction(["#비"]) == 0.0
    assert kw.gram_scores({"비밀번호": 1.0}) is None


def test_only_the_languages_that_run_bigrams_index_them(searcher):
    """English readers run no bigram run (`Language.bigram_run`), so English articles hold no bigrams:
    an English word's bigrams match only where a Korean or Persian article quotes it."""
    kw = searcher.index.keyword
    scores = kw.gram_scores(Counter(char_bigrams("withdrawal pending password")))
    matched = {kw.keys[d].split("/")[0] for d in np.flatnonzero(scores)} if scores is not None else set()
    assert "en" not in matched
    scores = kw.gram_scores(Counter(char_bigrams("비밀번호")))
    assert {kw.keys[d].split("/")[0] for d in np.flatnonzero(scores)} == {"ko"}


def test_a_synonym_group_counts_as_one_word_not_as_every_way_to_say_it(tmp_path):
    # an article listing every way to say "withdraw" against the one about what else is asked (stuck)
    articles = (("how-to-withdraw", "How do I withdraw?", "withdraw, payout, cashout, take money out"),
                ("withdrawal-stuck", "Withdrawal stuck", "withdrawal pending"))
    for slug, title, keywords in articles:
        (tmp_path / "content" / "en").mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / "en" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\ncategory: withdrawals\nkeywords: [{keywords}]\n---\nAbout withdrawals.\n")
    build_keyword_index(tmp_path / "kw", load_articles(tmp_path / "content").articles)
    kw = KeywordIndex(tmp_path / "kw")
    synonyms = Synonyms([[analyze(w) for w in ("withdraw", "payout", "cashout", "take money out")]])
    terms = analyze("withdrawal stuck")
    alternatives = synonyms.alternatives(terms, kw.has)
    assert alternatives == ((0.6, (("payout",), ("cashout",), ("take", "monei", "out"))),)

    def best(scores):
        return kw.keys[int(np.argmax(scores))]

    every_word = {t: 1.0 for t in terms} | {t: 0.6 for entry in alternatives[0][1] for t in entry}
    assert best(kw.scores(every_word)) == "en/how-to-withdraw"  # each synonym adds: the list wins
    grouped = kw.scores(dict.fromkeys(terms, 1.0), alternatives)
    assert best(grouped) == "en/withdrawal-stuck"
    # the group adds its best entry once: a multi-word entry counts where all its words are, as one word
    alone = kw.scores(dict.fromkeys(terms, 1.0))
    gain = grouped - alone
    doc = kw.keys.index("en/how-to-withdraw")
    entry = {t: kw.scores({t: 1.0})[doc] for t in ("payout", "cashout", "take", "monei", "out")}
    assert gain[doc] == pytest.approx(0.6 * max(entry["payout"], entry["cashout"],
                                                 (entry["take"] + entry["monei"] + entry["out"]) / 3))
    assert gain[kw.keys.index("en/withdrawal-stuck")] == 0.0
    assert kw.scores({"nosuchterm": 1.0}, ((0.6, (("nosuchterm2",), ("take", "nosuchterm3"))),)) is None
    # where the articles lack what was typed, the group stands for it: a typed word's weight
    assert synonyms.alternatives(analyze("take money out now"), kw.has)[0][0] == 0.6
    slang = Synonyms([[analyze(w) for w in ("withdraw", "wdz")]])
    assert slang.alternatives(analyze("wdz stuck"), kw.has) == ((1.0, (("withdraw",),)),)
