import pytest

from helpcenter.content.errors import QueryError
from helpcenter.index.analysis import analyze, word_terms
from helpcenter.search import plan, snippets
from helpcenter.search.plan import validate
from helpcenter.search.snippets import make_snippet
from helpcenter.web.shapes import response_json


def test_korean_query_finds_korean_article_despite_particles(searcher):
    resp = searcher.search("환전이 언제 돼요", "ko")
    assert resp.answered
    assert resp.hits[0].slug == "withdrawal-times"
    assert resp.hits[0].lang == "ko" and not resp.hits[0].fallback


def test_persian_half_space_variant_finds_article(searcher):
    resp = searcher.search("درخواست ها برداشت کی میرسه", "fa")
    assert resp.hits[0].slug == "withdrawal-times" and resp.hits[0].lang == "fa"


def test_english_only_article_is_found_from_korean_and_flagged(searcher):
    resp = searcher.search("코인 충전 네트워크", "ko")
    top = resp.hits[0]
    assert top.slug == "crypto-deposits"
    assert top.lang == "en" and top.fallback


def test_one_result_per_slug_in_the_readers_language(searcher):
    resp = searcher.search("password reset link", "fa", limit=10)
    slugs = [h.slug for h in resp.hits]
    assert len(slugs) == len(set(slugs))
    reset = next(h for h in resp.hits if h.slug == "reset-password")
    assert reset.lang == "fa"  # the English query still shows the reader's translation


def test_out_of_domain_query_is_not_answered(searcher):
    resp = searcher.search("best lasagna recipe with spinach", "en")
    assert not resp.answered
    assert len(resp.hits) <= 3


def test_matched_section_and_snippet_highlight(searcher):
    resp = searcher.search("password email not in spam folder", "en")
    hit = next(h for h in resp.hits if h.slug == "reset-password")
    assert hit.anchor == "no-email-arrived"
    marked = [hit.snippet[s:e].lower() for s, e in hit.highlights]
    assert "spam" in marked and "folder," in marked


def test_synonyms_from_content_expand_the_query(searcher):
    # 돈 빼 is a synonym of 환전 in tests/content/synonyms/ko.yml; the words never occur in the articles
    resp = searcher.search("돈 빼", "ko")
    assert resp.hits[0].slug == "withdrawal-times"


def test_snippet_korean_word_with_particle_is_highlighted():
    snippet, spans = make_snippet("전자지갑으로 환전이 가능합니다", frozenset({"환전"}))
    assert [snippet[s:e] for s, e in spans] == ["환전이"]


def test_snippets_mark_words_by_the_terms_the_index_saved(searcher, monkeypatch):
    # every word's terms are saved at build time: a query marks 환전이 for 환전 without analyzing the
    # section's words again (Kiwi over every section shown cost a new worker seconds)
    text = "전자지갑으로 환전이 가능합니다"
    assert word_terms(text).split("\t")[1].split() == ["환전"]
    analyzed = []
    for module in (snippets, plan):  # the snippets' words, and the query's
        monkeypatch.setattr(module, "analyze", lambda t: analyzed.append(t) or analyze(t))
    snippets._words_of.cache_clear()
    snippets._snippet.cache_clear()
    hit = searcher.search("환전 시간", "ko").hits[0]
    assert hit.slug == "withdrawal-times"
    assert "환전" in [hit.snippet[s:e] for s, e in hit.highlights]
    assert analyzed == ["환전 시간"]  # the query, and nothing else
    # a text the index did not save is still marked, by analyzing its words
    snippet, spans = make_snippet(text, {"환전"}, words="전자 지갑\t다른")  # not this text's: ignored
    assert [snippet[s:e] for s, e in spans] == ["환전이"]


@pytest.mark.parametrize("q, lang, limit, message", [
    (None, "en", None, "required"), ("  ", "en", None, "required"), ("x" * 501, "en", None, "500"),
    ("ok", "de", None, "lang"), ("ok", "en", "ten", "whole number"), ("ok", "en", "0", "between"),
    ("ok", "en", "51", "between"),
])
def test_validate_rejects_bad_input(q, lang, limit, message):
    with pytest.raises(QueryError, match=message):
        validate(q, lang, limit, 10)


def test_response_json_shape(searcher):
    data = response_json(searcher.search("withdrawal time", "ko", limit=2))
    assert set(data) == {"query", "lang", "answered", "results"}
    r = data["results"][0]
    assert {"slug", "lang", "title", "url", "snippet", "score"} <= set(r)
    assert r["url"] == f"/{r['lang']}/articles/{r['slug']}"
