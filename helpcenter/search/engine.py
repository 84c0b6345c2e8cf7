"""One query in, ranked hits out: analyze, keyword + vector retrieval, fusion, languages, no-answer."""
from __future__ import annotations

import logging
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Literal, Mapping

import numpy as np

from helpcenter import languages
from helpcenter.content.articles import Section
from helpcenter.content.errors import QueryError
from helpcenter.index.analysis import WORD_RE, analyze
from helpcenter.index.versions import Index
from helpcenter.languages import LANGS
from helpcenter.search import ranking

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_LIMIT = 50
Mode = Literal["hybrid", "keyword", "vector"]
Fusion = Literal["combine", "rrf"]

# Normalized-score combination beat reciprocal-rank fusion on the golden set (see README, "Ranking").
FUSION: Fusion = "combine"
KEYWORD_WEIGHT, VECTOR_WEIGHT, PHRASE_WEIGHT = 0.75, 0.25, 0.2
KEYWORD_SATURATION = 20.0 # BM25 score that maps to 0.5: keeps one weak term match from counting as strong
UNANSWERED_RELATED = 3  # at most this many related articles accompany "no answer"


@dataclass(frozen=True)
class Hit:
    slug: str
    lang: str
    title: str
    score: float
    anchor: str  # the matched section ("" = top of the article)
    section: str  # its heading
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # character spans of matched words in `snippet`
    fallback: bool = False  # True when shown in another language than the reader's


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for one query."""

    keyword: dict[str, float]  # slug -> best BM25F score over its languages
    vector: dict[str, float]  # slug -> best passage cosine (empty when the vector stage did not run)
    passages: np.ndarray  # cosine per passage id (0 where not scored), to pick the matched section


@dataclass(frozen=True)
class SearchResponse:
    query: str
    lang: str
    answered: bool
    hits: tuple[Hit, ...]
    confidence: float = 0.0
    features: dict = field(default_factory=dict, compare=False, repr=False)


def validate(query: str | None, lang: str | None, limit: int | str | None, default_limit: int) -> tuple[str, str, int]:
    """Check a request's parameters; returns (query, lang, limit) or raises QueryError saying why."""
    if query is None or not query.strip():
        raise QueryError("parameter 'q' is required and must not be empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"parameter 'q' must be at most {MAX_QUERY_CHARS} characters")
    lang = lang or languages.DEFAULT.code
    if lang not in LANGS:
        raise QueryError(f"parameter 'lang' must be one of {', '.join(LANGS)}")
    if limit is None or limit == "":
        n = default_limit
    else:
        try:
            n = int(limit)
        except (TypeError, ValueError):
            raise QueryError("parameter 'limit' must be a whole number") from None
        if not 1 <= n <= MAX_LIMIT:
            raise QueryError(f"parameter 'limit' must be between 1 and {MAX_LIMIT}")
    return query.strip(), lang, n


@lru_cache(maxsize=8192)
def _words_of(text: str, words: str | None) -> tuple[tuple[int, ...], tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The start and end of each word of `text`, and for each index term the words that analyze to it
    (section texts repeat: cached). `words`: the index's `word_terms(text)`, else each word is analyzed
    here. One dict of tuples a text: a frozenset per word of every section shown once made the garbage
    collector's full collections slow."""
    spans = [m.span() for m in WORD_RE.finditer(text)]
    per_word = words.split("\t") if words is not None else []
    if len(per_word) != len(spans):  # not given (or not this text's): analyze here
        per_word = [" ".join(analyze(text[s:e])) for s, e in spans]
    where: dict[str, list[int]] = {}
    for i, terms in enumerate(per_word):
        for t in terms.split():
            where.setdefault(t, []).append(i)
    return (tuple(s for s, _ in spans), tuple(e for _, e in spans), {t: tuple(ix) for t, ix in where.items()})


def make_snippet(text: str, terms: Iterable[str], width: int = 180,
                 words: str | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The window of `text` holding the most query terms, with the spans of the matched words.

    Words are matched by their terms as the index analyzed them, so 환전이 highlights for 환전.
    `words` is `helpcenter.index.analysis.word_terms(text)` when the index saved it (otherwise computed here).
    """
    # cached: as-you-type asks for the same section and terms on many keystrokes (a tuple of strings,
    # unlike a frozenset, is not tracked by the garbage collector)
    return _snippet(text, tuple(sorted(set(terms))), width, words)


@lru_cache(maxsize=8192)
def _snippet(text: str, term_list: tuple[str, ...], width: int,
             words: str | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    starts, ends, where = _words_of(text, words)
    if not starts:
        return "", ()
    matched = sorted({i for t in term_list for i in where.get(t, ())})
    best_start = 0
    if matched:
        # the matched word whose window [start, start+width) covers the most matches
        best_count = -1
        for i in matched:
            start = max(0, starts[i] - 30)
            count = sum(1 for j in matched if start <= starts[j] < start + width)
            if count > best_count:
                best_start, best_count = start, count
        # snap to a word boundary: the last word starting at or before it
        best_start = starts[max(0, bisect_right(starts, best_start) - 1)] if starts[0] <= best_start else 0
    end = best_start + width
    if end < len(text):
        k = bisect_right(ends, end)  # words ending at or before `end`
        end = ends[k - 1] if k else end
    snippet = text[best_start:end].replace("\n", " ")
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(text) else ""
    spans = tuple((starts[i] - best_start + len(prefix), ends[i] - best_start + len(prefix))
                  for i in matched if best_start <= starts[i] and ends[i] <= end)
    return prefix + snippet + suffix, spans


def _section_vector_score(score: float | None, top: float) -> float:
    """A section's vector score for picking the matched section: its best passage's cosine relative to
    the article's best, x10 (a section without passages counts as 0.05 below the best)."""
    return ((top - 0.05 if score is None else score) - top) * 10


class Searcher:
    """Runs the search pipeline over one opened index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.langs_by_slug: dict[str, set[str]] = {}
        for a in index.articles.values():
            self.langs_by_slug.setdefault(a.slug, set()).add(a.lang)
        by_article: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pid, p in enumerate(index.vector.passages):
            by_article[p.key].append((pid, p.anchor))
        # article key -> (its passage ids, the anchor of each): one gather of scores per hit
        self._passages_of = {key: (np.array([pid for pid, _ in ps], dtype=np.int64), tuple(a for _, a in ps))
                             for key, ps in by_article.items()}
        # article key -> one entry per anchor, in order: (the anchor's first section, which it links to;
        # its terms; the text snippets are cut from and that text's saved word terms; its vector score
        # relative to the article's best when no vector stage ran: 0 with passages, else below them)
        self._sections_of: dict[str, tuple[tuple[Section, frozenset[str], str, str | None, float], ...]] = {}
        for key, a in index.articles.items():
            first = {s.anchor: s for s in reversed(a.sections)}  # reversed: the first of an anchor wins
            with_passages = set(self._passages_of.get(key, ((), ()))[1])
            self._sections_of[key] = tuple(
                (sec, index.section_terms[key, anchor],
                 *((sec.text, index.section_words.get((key, anchor))) if sec.text
                   else (a.summary, index.summary_words.get(key))),
                 _section_vector_score(0.0 if anchor in with_passages else None, 0.0))
                for anchor, sec in reversed(first.items()))
        self._slugs = sorted(self.langs_by_slug)
        slug_number = {slug: i for i, slug in enumerate(self._slugs)}
        self._passage_slug = np.array([slug_number[p.key.split("/", 1)[1]] for p in index.vector.passages],
                                      dtype=np.int64)
        self._document_slug = np.array([slug_number[key.split("/", 1)[1]] for key in index.keyword.keys],
                                       dtype=np.int64)
        # every title and keyword phrase, analyzed once, by term: only phrases sharing a term with the
        # query can be wholly in it (`ranking.phrase_matches`)
        self._phrases_with: dict[str, list[tuple[frozenset[str], str]]] = {}
        for a in index.articles.values():
            for p in (a.title, *a.keywords):
                entry = (frozenset(analyze(p)), a.slug)
                for t in entry[0]:
                    self._phrases_with.setdefault(t, []).append(entry)

    # -- the stages, also used by `helpcenter.search.suggest` ------------------------------------------------

    def retrieve(self, weighted: Mapping[str, float], text: str | None) -> Evidence:
        """Keyword retrieval with `weighted` terms and, when `text` is given, vector retrieval with its
        embedding; both reduced to the best score per slug (over languages and passages)."""
        scores = self.index.keyword.scores(weighted) if weighted else None
        keyword = self._best_per_slug(scores, self._document_slug) if scores is not None else {}
        evidence = Evidence(keyword, {}, np.zeros(self.index.vector.size))
        return self.add_vector(evidence, text) if text else evidence

    def add_vector(self, evidence: Evidence, text: str) -> Evidence:
        """`evidence` with the vector stage's for `text` (the encoder's cost: ~20–30 ms uncached here)."""
        qv = self.index.encoder.encode_queries([text])[0]
        scores, ids = self.index.vector.search(qv, self.index.vector.size)
        passages = np.zeros(self.index.vector.size)
        passages[ids] = scores
        return Evidence(evidence.keyword, self._best_per_slug(passages, self._passage_slug, ids), passages)

    def _best_per_slug(self, scores: np.ndarray, slug_of: np.ndarray, ids: np.ndarray | None = None) -> dict[str, float]:
        """The best of `scores` (of documents or passages; only `ids` if given, else the non-zero ones)
        for each slug, over its languages and passages."""
        if ids is None:
            ids = np.flatnonzero(scores)
        best = np.full(len(self._slugs), -np.inf)
        np.maximum.at(best, slug_of[ids], scores[ids])
        found = np.flatnonzero(np.isfinite(best))
        return dict(zip([self._slugs[i] for i in found], best[found].tolist()))

    def phrases(self, terms: Iterable[str], expanded: Iterable[str]) -> dict[str, float]:
        """Best bets: slug -> share of the query covered by a title or keyword phrase wholly in it."""
        expanded = frozenset(expanded)
        candidates = {id(e): e for t in expanded for e in self._phrases_with.get(t, ())}
        return ranking.phrase_matches(frozenset(terms), expanded, candidates.values())

    def display_lang(self, slug: str, reader_lang: str) -> str:
        langs = self.langs_by_slug[slug]
        if reader_lang in langs:
            return reader_lang
        return next(lang.code for lang in languages.by_fallback() if lang.code in langs)

    # -- the pipeline -----------------------------------------------------------------------------

    def search(self, query: str, lang: str = "en", limit: int = 10, mode: Mode = "hybrid",
               fusion: Fusion | None = None) -> SearchResponse:
        """Search the knowledge base.

        Args:
            query: the reader's text, as typed.
            lang: the reader's language; results come in it where a translation exists.
            limit: the most results to return.
            mode: "hybrid" (default), or one retriever alone (for evaluation).
            fusion: override the fusion method ("combine" or "rrf"), for evaluation.
        """
        query, lang, limit = validate(query, lang, limit, limit)
        terms = analyze(query)
        weighted = self.index.synonyms.expand(terms)
        evidence = self.retrieve(weighted if mode != "vector" else {}, query if mode != "keyword" else None)
        phrases = self.phrases(terms, weighted) if mode == "hybrid" else {}
        fused = self.fuse(evidence, phrases, fusion or FUSION)
        return self.respond(query, lang, limit, terms, evidence, fused, mode)

    def fuse(self, evidence: Evidence, phrases: Mapping[str, float], fusion: Fusion = FUSION) -> dict[str, float]:
        """One score per slug from keyword and vector evidence and best bets (a lone retriever as is)."""
        kw, vec = evidence.keyword, evidence.vector
        if not kw or not vec:
            return dict(kw or vec)
        if fusion == "rrf":
            return ranking.rrf([kw, vec, phrases] if phrases else [kw, vec])
        kw_n = {k: s / (s + KEYWORD_SATURATION) for k, s in kw.items()}
        vec_n = ranking.normalize(vec, floor=float(np.median(list(vec.values()))))
        return ranking.combine([kw_n, vec_n, phrases], [KEYWORD_WEIGHT, VECTOR_WEIGHT, PHRASE_WEIGHT])

    def respond(self, query: str, lang: str, limit: int, terms: tuple[str, ...], evidence: Evidence,
                fused: Mapping[str, float], mode: Mode) -> SearchResponse:
        """Rank `fused`, decide whether it answers (the no-answer model of `mode`), and build the hits."""
        order = ranking.ranked(fused)
        features = self._features(terms, order, evidence.keyword, evidence.vector, lang)
        confidence = ranking.answer_probability(features, mode) if features else 0.0
        answered = ranking.decide_answered(features, mode)
        top = order[:limit] if answered else order[:min(limit, UNANSWERED_RELATED)]
        pscore = evidence.passages if evidence.vector else None  # all zero when no vector stage ran
        hits = tuple(self._hit(slug, score, lang, terms, pscore) for slug, score in top)
        return SearchResponse(query, lang, answered, hits, round(confidence, 4), features)

    def _features(self, terms, order, kw_slugs, vec_slugs, lang) -> dict[str, float]:
        """The signals the no-answer model weighs (see `ranking.answer_probability`)."""
        if not order:
            return {}
        top_slug = order[0][0]
        cover = 0.0
        if terms:
            found: set[str] = set()
            for other in self.langs_by_slug[top_slug]:
                found |= self.index.article_terms[f"{other}/{top_slug}"] & set(terms)
            cover = len(found) / len(set(terms))
        kw_top = max(kw_slugs.values(), default=0.0)
        top3 = lambda run: {k for k, _ in ranking.ranked(run)[:3]}  # noqa: E731
        return {
            "vec_top": float(vec_slugs.get(top_slug, 0.0)),
            "kw_top": kw_top / (kw_top + KEYWORD_SATURATION),
            "kw_cover": cover,
            "known": self.index.keyword.known_fraction(terms),
            "fused_top": float(order[0][1]),
            "agree": 1.0 if kw_slugs and vec_slugs and (top3(kw_slugs) & top3(vec_slugs)) else 0.0,
            **ranking.language_features(lang),
        }

    def _hit(self, slug: str, score: float, lang: str, terms: tuple[str, ...], pscore: np.ndarray | None) -> Hit:
        shown = self.display_lang(slug, lang)
        key = f"{shown}/{slug}"
        article = self.index.articles[key]
        term_set = frozenset(terms)
        # the section: best passage of this article by vector score, plus words in common with the query
        sections = self._sections_of[key]
        if pscore is None:  # no vector stage: each section's vector score is fixed (`_sections_of`)
            vector_score = [entry[4] for entry in sections]
        else:
            sec_vec: dict[str, float] = {}
            pids, anchors = self._passages_of.get(key, (np.zeros(0, dtype=np.int64), ()))
            for anchor, s in zip(anchors, pscore[pids].tolist()):
                if s > sec_vec.get(anchor, -1.0):
                    sec_vec[anchor] = s
            top_vec = max(sec_vec.values(), default=0.0)
            vector_score = [_section_vector_score(sec_vec.get(entry[0].anchor), top_vec) for entry in sections]
        best, best_score = sections[0], -1.0
        for entry, v in zip(sections, vector_score):
            s = v + len(entry[1] & term_set) / max(1, len(term_set))
            if s > best_score:
                best, best_score = entry, s
        section, _, text, words, _ = best
        snippet, spans = make_snippet(text, term_set, words=words)
        return Hit(slug=slug, lang=shown, title=article.title, score=round(float(score), 4),
                   anchor=section.anchor, section=section.heading, snippet=snippet, highlights=spans,
                   fallback=shown != lang)


def response_json(resp: SearchResponse) -> dict:
    """The API's JSON shape of a response (CONTRACT.md section 4); `kb search --json` prints the same."""
    return {
        "query": resp.query,
        "lang": resp.lang,
        "answered": resp.answered,
        "results": [
            {
                "slug": h.slug, "lang": h.lang, "title": h.title,
                "url": f"/{h.lang}/articles/{h.slug}",
                "snippet": h.snippet, "score": h.score,
                "section": h.section, "anchor": h.anchor,
                "section_url": f"/{h.lang}/articles/{h.slug}" + (f"#{h.anchor}" if h.anchor else ""),
                "highlights": [list(s) for s in h.highlights],
                "fallback": h.fallback,
            }
            for h in resp.hits
        ],
    }
