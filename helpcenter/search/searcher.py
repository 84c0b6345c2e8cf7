"""The searcher: runs a query plan over one opened index and returns ranked hits.

Keyword retrieval (precomputed BM25F impacts) and vector retrieval (faiss) are reduced to the best
score per article over its languages and passages, fused (`search.fusion`), judged by the no-answer
model, and turned into hits in the reader's language (or the fallback language), each with its best
section and a snippet.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from helpcenter import languages
from helpcenter.content.articles import Section
from helpcenter.index.analysis import analyze, char_bigrams, normalize
from helpcenter.index.scope import Naming
from helpcenter.index.versions import Index
from helpcenter.languages import DEFAULT
from helpcenter.search import answer as answer_model
from helpcenter.search import ranking
from helpcenter.search.answer import AnswerModel
from helpcenter.search.answers import Answer, AnswerPolicy, has_steps, passage
from helpcenter.search.fusion import QueryFacts, make_fusion, with_recall
from helpcenter.search.plan import Mode, QueryPlan, plan_search
from helpcenter.search.snippets import make_snippet
from helpcenter.search.suggest import plan_suggest

log = logging.getLogger(__name__)

UNANSWERED_RELATED = 3  # at most this many related articles accompany "no answer"
BRIDGE_PAIRS = 5  # translated articles the language gap of a query is measured on (`bridge_languages`)
# the most an untranslated article's keyword-field score is multiplied by (`bridge_fields`): on the tuning
# halves of the golden sets, Korean and Persian, 3 against 1.5, 2 and no cap (docs/ranking.md)
FIELD_GAP_CAP = 3.0


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
    scope: float | None = None  # cosine of the closest out-of-scope question (None: none was compared)
    in_scope: float | None = None  # cosine of the closest title, keyword or heading (None: none compared)
    grams: dict[str, float] = field(default_factory=dict)  # slug -> bigram BM25 in the reader's language
    service_share: float = 0.0  # how much of the text's meaning the services it names carry (`service_share`)
    # `examples` of the text without those names, its own example aside (None: nothing named, or no rest)
    service_rest: float | None = None
    # how much closer the text is to the unanswerable queries the no-answer model was fitted on than to
    # the answerable ones (`answer.Examples.margin`; None: no examples, or no vector stage)
    examples: float | None = None
    examples_across: float | None = None  # the same over the examples read in other languages (`across`)
    examples_vote: float | None = None  # the share not answered of the examples nearest it (`Examples.vote`)
    vector_read: np.ndarray | None = field(default=None, compare=False, repr=False)  # the text's, as read
    # its cosines with those examples (`Examples.cosines`), the one product every read of them starts from
    examples_read: np.ndarray | None = field(default=None, compare=False, repr=False)
    # slug -> cosine of the closest question it answered before, among those examples (`Examples.recall`)
    recalled: dict[str, float] = field(default_factory=dict)
    # `keyword` with the articles missing in the reader's language raised by the query's field gap
    # (`Searcher.bridge_fields`): what the fusion orders by (None: no gap, the same as `keyword`)
    keyword_across: dict[str, float] | None = None

    @property
    def keyword_ordered(self) -> dict[str, float]:
        """The keyword run the fusion orders by: across the field gap where there is one."""
        return self.keyword if self.keyword_across is None else self.keyword_across


@dataclass(frozen=True)
class SearchResponse:
    query: str
    lang: str
    answered: bool
    hits: tuple[Hit, ...]
    confidence: float = 0.0
    features: dict = field(default_factory=dict, compare=False, repr=False)
    answer: Answer | None = None  # the passage that answers, when confident enough (`answers.AnswerPolicy`)
    # what the answer policy looked at (probability, margin, section_lead) when a candidate answer existed
    answer_evidence: dict = field(default_factory=dict, compare=False, repr=False)
    asks: bool = True  # False: the text asks nothing (`reading.asks_nothing`: a greeting, thanks, a test)


def _shown_scores(order: Sequence[tuple[str, float]], judged: Mapping[str, float]) -> list[tuple[str, float]]:
    """The hits' scores: in the fusion's order, each article's judged score (0-1 evidence, which
    `web.site.relevant` compares with the top's) capped by the one above it, so a list never shows a
    lower result scoring higher (the fusion that orders may weigh the evidence otherwise than the judge)."""
    out, cap = [], float("inf")
    for slug, score in order:
        cap = min(cap, float(judged.get(slug, score)))
        out.append((slug, cap))
    return out


def _written_in(text: str, reader: str) -> str:
    """The language whose script most of `text`'s words are in, when that is not the default language's
    (Latin letters are as often a Korean or Persian reader's English words); otherwise `reader`."""
    scripts = Counter(languages.script_of(w) for w in text.split() if any(ch.isalpha() for ch in w))
    top = scripts.most_common(1)[0][0] if scripts else DEFAULT.code
    return reader if top == DEFAULT.code else top


def _section_vector_score(score: float | None, top: float) -> float:
    """A section's vector score for picking the matched section: its best passage's cosine relative to
    the article's best, x10 (a section without passages counts as 0.05 below the best)."""
    return ((top - 0.05 if score is None else score) - top) * 10


class Searcher:
    """Runs the search pipeline over one opened index."""

    def __init__(self, index: Index, answer: AnswerModel | None = None, answer_policy: AnswerPolicy | None = None) -> None:
        """`answer`: the no-answer model (default: the one the index was built with); `answer_policy`:
        when a response carries a direct answer."""
        self.index = index
        self.answer = answer or answer_model.for_index(index)
        self.answer_policy = answer_policy or AnswerPolicy()
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
        # article key -> per entry of `_sections_of`, what does not depend on the query: introduction,
        # position, steps, first headed section (`answers.SECTION_FEATURES`)
        self._section_shape = {
            key: np.array([[0.0 if sec.heading else 1.0, i / max(1, len(entries) - 1),
                            1.0 if has_steps(sec.markdown or "") else 0.0, 1.0 if i == 1 else 0.0]
                           for i, (sec, *_) in enumerate(entries)])
            for key, entries in self._sections_of.items()}
        self._slugs = sorted(self.langs_by_slug)
        slug_number = {slug: i for i, slug in enumerate(self._slugs)}
        # each passage's (language, slug) cell, to compare one query's cosines across translations
        lang_number = {code: i for i, code in enumerate(languages.LANGS)}
        self._passage_cell = np.array([lang_number[p.key.split("/", 1)[0]] * len(self._slugs)
                                       + slug_number[p.key.split("/", 1)[1]] for p in index.vector.passages],
                                      dtype=np.int64)
        # per reader language: the slugs with no article in it (shown in the fallback language)
        self._untranslated = {lang.code: frozenset(s for s, ls in self.langs_by_slug.items() if lang.code not in ls)
                              for lang in languages.LANGUAGES}
        # per reader language: the embedded out-of-scope questions a query of it is compared with, and
        # the articles' titles, keywords and headings
        self._out_of_scope = {lang.code: index.out_of_scope[index.out_of_scope_langs == lang.code]
                              for lang in languages.LANGUAGES}
        self._in_scope = {lang.code: index.in_scope[index.in_scope_langs == lang.code] for lang in languages.LANGUAGES}
        # per slug: the other companies' services it is about, in any of its languages: named in a title,
        # summary, keyword or heading. A name in the body is often an aside (account-hacked says to write
        # to us on Telegram; "my telegram account was hacked" is not about ours)
        self._services_of: dict[str, set[int]] = {slug: set() for slug in self.langs_by_slug}
        if index.services:
            for a in index.articles.values():
                subject = (a.title, a.summary, *a.keywords, *(sec.heading for sec in a.sections))
                self._services_of[a.slug] |= index.services.named("\n".join(subject))
        self._passage_slug = np.array([slug_number[p.key.split("/", 1)[1]] for p in index.vector.passages],
                                      dtype=np.int64)
        self._document_slug = np.array([slug_number[key.split("/", 1)[1]] for key in index.keyword.keys],
                                       dtype=np.int64)
        # per reader language: the keyword documents in another language (the bigram run leaves them out)
        document_lang = np.array([key.split("/", 1)[0] for key in index.keyword.keys])
        self._documents_not_in = {lang.code: document_lang != lang.code for lang in languages.LANGUAGES}
        # ... and those of the articles it lacks (`bridge_fields`)
        self._documents_lacking = {
            lang.code: np.isin(self._document_slug, [slug_number[s] for s in self._untranslated[lang.code]])
            for lang in languages.LANGUAGES}
        # every title and keyword phrase, analyzed once, by term: only phrases sharing a term with the
        # query can be wholly in it (`ranking.phrase_matches`)
        self._phrases_with: dict[str, list[tuple[frozenset[str], str]]] = {}
        keyword_phrases: dict[frozenset[str], set[str]] = {}  # analyzed keyword phrase -> its articles
        for a in index.articles.values():
            for i, p in enumerate((a.title, *a.keywords)):
                terms = frozenset(analyze(p))
                for t in terms:
                    self._phrases_with.setdefault(t, []).append((terms, a.slug))
                if i and terms:
                    keyword_phrases.setdefault(terms, set()).add(a.slug)
        self._keyword_phrases = {terms: frozenset(slugs) for terms, slugs in keyword_phrases.items()}

    # -- the stages ------------------------------------------------------------------------------

    def retrieve(self, weighted: Mapping[str, float],
                 alternatives: Sequence[tuple[float, Sequence[Sequence[str]]]] = (), lang: str | None = None
                 ) -> Evidence:
        """Keyword retrieval with `weighted` terms and synonym groups (`QueryPlan.alternatives`), reduced
        to the best score per slug (over languages); for a reader of `lang`, also across the field gap to
        the articles missing in it (`bridge_fields`: `Evidence.keyword_across`)."""
        scores = self.index.keyword.scores(weighted, alternatives) if weighted else None
        keyword = self._best_per_slug(scores, self._document_slug) if scores is not None else {}
        across = None
        if scores is not None and lang is not None:
            bridged = self.bridge_fields(scores, weighted, lang)
            if bridged is not scores:
                across = self._best_per_slug(bridged, self._document_slug)
        return Evidence(keyword, {}, np.zeros(self.index.vector.size), keyword_across=across)

    def bridge_fields(self, scores: np.ndarray, weighted: Mapping[str, float], lang: str,
                      pairs: int = BRIDGE_PAIRS) -> np.ndarray:
        """Keyword `scores` (by document) with those of the articles missing in the reader's language
        raised by this query's field gap: a Persian reader's words find an English-only article by its
        Persian keywords alone, a Persian one by its title, summary and body too, so the English-only
        article loses to any that shares a common word (کد معرف چی بهم میده, what does a referral code
        give me: the promo codes above the referral program). The gap is measured on the query itself:
        over the `pairs` documents in the reader's language it scores best among those its words also
        find by their keywords, the median of (score / keyword-field score), at most `FIELD_GAP_CAP`; an
        untranslated article's keyword-field score counts that many times."""
        lacking = self._documents_lacking.get(lang)
        if lacking is None or not lacking.any():
            return scores
        keywords = self.index.keyword.keyword_field_scores(weighted)
        if keywords is None:
            return scores
        own = np.flatnonzero(~self._documents_not_in[lang] & (scores > 0) & (keywords > 0))
        if not len(own):
            return scores
        top = own[np.argsort(-scores[own])[:pairs]]
        gap = min(FIELD_GAP_CAP, float(np.median(scores[top] / keywords[top])))
        return np.where(lacking, scores + keywords * (gap - 1), scores) if gap > 1 else scores

    def add_vector(self, evidence: Evidence, text: str, lang: str = "") -> Evidence:
        """`evidence` with the vector stage's for `text` (one encoder call when not cached: 3–13 ms for
        6–27 tokens on the 2-core machine, `bench/encoder_kernel.py`) and its closeness to `lang`'s
        out-of-scope questions and to its articles' titles, keywords and headings (`index/scope.py`):
        like with like, `lang` is the language `text` is written in (`_written_in`)."""
        qv = self.index.encoder.encode_queries([text])[0]
        scores, ids = self.index.vector.search(qv, self.index.vector.size)
        passages = np.zeros(self.index.vector.size)
        passages[ids] = scores

        def closest(rows: np.ndarray | None) -> float | None:
            return float(np.max(rows @ qv)) if rows is not None and len(rows) else None

        evidence = Evidence(evidence.keyword, self._best_per_slug(passages, self._passage_slug, ids), passages,
                            closest(self._out_of_scope.get(lang)), closest(self._in_scope.get(lang)), vector_read=qv,
                            keyword_across=evidence.keyword_across)
        known = self.answer.examples
        if known is None:
            return evidence
        cos = known.cosines(qv)
        return replace(evidence, examples=known.margin(cos, lang), examples_across=known.across(cos, lang),
                       examples_vote=known.vote(cos), recalled=known.recall(cos, lang), examples_read=cos)

    def add_grams(self, evidence: Evidence, text: str, lang: str) -> Evidence:
        """`evidence` with the bigram run for `text` (a reader of a language with `bigram_run`): BM25 over
        the character bigrams of the articles in the reader's language (`analysis.char_bigrams`), best per
        slug. Other languages are left out: a bigram of the reader's script cannot match their text (the
        fusion reads an untranslated article's bigram evidence at the other candidates' mean:
        `fusion.candidate_features`)."""
        if not languages.BY_CODE[lang].bigram_run:
            return evidence
        scores = self.index.keyword.gram_scores(Counter(char_bigrams(text)))
        if scores is None:
            return evidence
        scores[self._documents_not_in[lang]] = 0.0
        return replace(evidence, grams=self._best_per_slug(scores, self._document_slug))

    def bridge_languages(self, evidence: Evidence, lang: str, untranslated: frozenset[str],
                         pairs: int = BRIDGE_PAIRS) -> Evidence:
        """`evidence` with the vector scores of articles missing in the reader's language raised by this
        query's language gap: a Korean query is closer to Korean articles than to English ones on the
        same subject, so an English-only article would lose to any Korean one. The gap is measured on
        the query itself: over the `pairs` articles it matches best in the reader's language that also
        exist in the fallback language, the median of (cosine with the reader's version - cosine with
        the fallback's), at least 0."""
        n = len(self._slugs)
        best = np.full(len(languages.LANGS) * n, -np.inf)
        np.maximum.at(best, self._passage_cell, evidence.passages)
        best = best.reshape(len(languages.LANGS), n)
        own = best[languages.LANGS.index(lang)]
        fallback = best[languages.LANGS.index(next(x.code for x in languages.by_fallback() if x.code != lang))]
        both = np.flatnonzero(np.isfinite(own) & np.isfinite(fallback))
        if not len(both):
            return evidence
        top = both[np.argsort(-(own[both] + fallback[both]))[:pairs]]  # chosen by both: no selection bias
        gap = max(0.0, float(np.median(own[top] - fallback[top])))
        vector = dict(evidence.vector)
        for slug in untranslated.intersection(vector):
            vector[slug] += gap
        return replace(evidence, vector=vector)

    def service_share(self, text: str, allow_encoder: Callable[[str], bool] | None = None) -> float:
        """How much of `text`'s meaning the other companies' services it names carry: 1 - the cosine of
        the text with the text without their names (`Services.without`); 1 when nothing else is left, 0
        when it names none (or the encoder may not read the rest). "Binance froze my account for KYC" is
        about Binance and moves when Binance is taken out; in "my Revolut card keeps getting declined when
        I add funds" the card is an aside, and the rest is a question we answer."""
        return self.without_names(text, allow_encoder)[0]

    def without_names(self, text: str, allow_encoder: Callable[[str], bool] | None = None
                      ) -> tuple[float, np.ndarray | None]:
        """`service_share`, and the vector of the text without the names (None when nothing is named,
        nothing else is left, or the encoder may not read it)."""
        services = self.index.services
        if not services or not services.named(text):
            return 0.0, None
        rest = services.without(text)
        if not any(ch.isalnum() for ch in rest):
            return 1.0, None
        if allow_encoder is not None and not allow_encoder(rest):
            return 0.0, None
        whole, without = self.index.encoder.encode_queries([" ".join(normalize(text).split()), rest])
        return max(0.0, 1.0 - float(whole @ without)), without

    def _best_per_slug(self, scores: np.ndarray, slug_of: np.ndarray, ids: np.ndarray | None = None) -> dict[str, float]:
        """The best of `scores` (of documents or passages; only `ids` if given, else the non-zero ones)
        for each slug, over its languages and passages."""
        if ids is None:
            ids = np.flatnonzero(scores)
        best = np.full(len(self._slugs), -np.inf)
        np.maximum.at(best, slug_of[ids], scores[ids])
        found = np.flatnonzero(np.isfinite(best))
        return dict(zip([self._slugs[i] for i in found], best[found].tolist()))

    def stood_for(self, terms: Sequence[str]) -> dict[str, frozenset[str]]:
        """The query's terms a matched synonym group stands for, each with the words of the group's other
        entries: کی وای سی is احراز هویت, ساپورت is پشتیبانی, though no article writes the slang."""
        out: dict[str, frozenset[str]] = {}
        for typed, rest in self.index.synonyms.matched(terms):
            words = frozenset(t for e in rest for t in e)
            for t in (t for e in typed for t in e):
                out[t] = out.get(t, frozenset()) | words
        return out

    def known_fraction(self, terms: Sequence[str]) -> float:
        """Share of distinct `terms` the index knows, as typed or through a synonym group whose other entries'
        words it knows (`KeywordIndex.known_fraction`)."""
        has = self.index.keyword.has
        stood = [t for t, words in self.stood_for(terms).items() if words and all(map(has, words))]
        return self.index.keyword.known_fraction(terms, stood)

    def phrases(self, terms: Sequence[str], weighted: Iterable[str]) -> dict[str, float]:
        """Best bets: slug -> share of the query covered by a title or keyword phrase wholly in the
        query's words (`weighted`) and its synonym groups' other entries, a group as the word it stands for."""
        groups = [(frozenset(t for e in typed for t in e), frozenset(t for e in rest for t in e))
                  for typed, rest in self.index.synonyms.matched(terms)]
        expanded = frozenset(weighted).union(*(words for _, words in groups))
        candidates = {id(e): e for t in expanded for e in self._phrases_with.get(t, ())}
        return ranking.phrase_matches(frozenset(terms), expanded, candidates.values(), groups)

    def said_exactly(self, terms: Sequence[str]) -> frozenset[str]:
        """The articles with a keyword phrase whose words (analyzed) are the query's, no more and no fewer
        ("account recovery" is reset-password's "recover account"): editors wrote that phrase for players
        to find that article by. Not titles: a title says what an article is about, and where titles are
        questions (the public corpora) another one's words are often the query's."""
        return self._keyword_phrases.get(frozenset(terms), frozenset())

    def display_lang(self, slug: str, reader_lang: str) -> str:
        langs = self.langs_by_slug[slug]
        if reader_lang in langs:
            return reader_lang
        return next(lang.code for lang in languages.by_fallback() if lang.code in langs)

    # -- the pipeline -----------------------------------------------------------------------------

    def gather(self, plan: QueryPlan, allow_encoder: Callable[[str], bool] | None = None
               ) -> tuple[Evidence, dict[str, float], QueryFacts]:
        """What a plan's fusion reads: the keyword run, best bets (hybrid only), the vector run when the
        plan asks for it (for a hybrid plan, across the language gap and with the bigram run of the text
        the encoder read), and what is known of the query.

        Args:
            allow_encoder: asked before the encoder reads a text; no means the plan is ranked without
                the vector run (a client past its encoder budget).
        """
        # across the field gap for a hybrid plan (the keyword-only baseline stays plain)
        evidence = self.retrieve(plan.weighted, plan.alternatives, plan.lang if plan.mode == "hybrid" else None)
        phrases: dict[str, float] = {}
        if plan.mode == "hybrid":
            phrases = self.phrases(plan.terms, plan.weighted)
            for slug, v in plan.phrases.items():
                phrases[slug] = max(phrases.get(slug, 0.0), v)
        text = plan.encode
        if plan.encode_if_nothing and not (evidence.keyword or phrases):
            text = plan.encode_if_nothing
        untranslated = self._untranslated.get(plan.lang, frozenset())
        # a text read in another language's script (Finglish on the English site, read as Persian) is
        # compared with that language's questions and phrases, and judged with its language features
        written = _written_in(text or plan.encode or plan.query, plan.lang)
        if text and (allow_encoder is None or allow_encoder(text)):
            evidence = self.add_vector(evidence, text, written)
            if plan.mode == "hybrid":  # the dense-only baseline stays plain
                # a name the reading took away (Finglish read as Persian) is measured on the text as typed
                services = self.index.services
                named_in = text if not services or services.named(text) else plan.asked or plan.query
                share, rest = self.without_names(named_in, allow_encoder)
                known = self.answer.examples
                evidence = replace(self.add_grams(evidence, text, plan.lang), service_share=share,
                                   service_rest=None if rest is None or known is None else
                                   known.margin(known.cosines(rest), written, besides=evidence.examples_read))
                if untranslated:
                    evidence = self.bridge_languages(evidence, plan.lang, untranslated)
        facts = QueryFacts(plan.lang, self.known_fraction(plan.terms), len(plan.terms), untranslated, written)
        return evidence, phrases, facts

    def read(self, query: str, lang: str = DEFAULT.code) -> tuple[np.ndarray, str] | None:
        """How a search for `query` reads it: the vector of the text the encoder reads and the language
        that text is in (None: the plan runs no encoder). What `answer.Examples` keeps of a golden query."""
        evidence, _, facts = self.gather(plan_search(self.index, query, lang, 10, "hybrid", None))
        return None if evidence.vector_read is None else (evidence.vector_read, facts.written or facts.lang)

    def run(self, plan: QueryPlan, allow_encoder: Callable[[str], bool] | None = None) -> SearchResponse:
        """Answer a plan: its evidence (`gather`), fusion, the no-answer decision and the hits."""
        evidence, phrases, facts = self.gather(plan, allow_encoder)
        fusion = make_fusion(plan.fusion)
        # the order reads the keyword run across the field gap; the judge, the evidence the no-answer
        # model and the answer policy were fitted on (fused again only where the two differ)
        fused = fusion.fuse(evidence.keyword_ordered, evidence.vector, phrases, facts, evidence.grams)
        judged = fusion.judge(evidence.keyword, evidence.vector, phrases, facts,
                              fused if evidence.keyword_across is None else None)
        # questions asked before re-order the list, not the evidence judged (the one-retriever baselines
        # stay plain)
        shown = with_recall(fused, evidence.recalled) if plan.mode == "hybrid" else fused
        # an editor's keyword phrase, typed word for word and settled: its article comes first (while the
        # reader types, the phrase may be the start of another question)
        exact = self.said_exactly(plan.terms) if plan.mode == "hybrid" and plan.settled else frozenset()
        if exact:
            pinned = ranking.first(fused, exact)
            shown = pinned if shown is fused else ranking.first(shown, exact)
            fused = pinned
        # a hybrid plan whose vector run did not happen is judged as keyword retrieval
        mode = plan.mode if plan.mode != "hybrid" or evidence.vector else "keyword"
        return self.respond(plan, evidence, fused, mode, facts, judged, shown)

    def search(self, query: str, lang: str = DEFAULT.code, limit: int = 10, mode: Mode = "hybrid",
               fusion: str | None = None, allow_encoder: Callable[[str], bool] | None = None) -> SearchResponse:
        """Search the knowledge base (`query`, `lang` and `limit` already valid: `plan.validate`).

        Args:
            query: the reader's text, as typed.
            lang: the reader's language; results come in it where a translation exists.
            limit: the most results to return.
            mode: "hybrid" (default), or one retriever alone (for evaluation).
            fusion: another fusion than the default (`fusion.DEFAULT`), for evaluation.
        """
        return self.run(plan_search(self.index, query, lang, limit, mode, fusion), allow_encoder)

    def suggest(self, query: str, lang: str = DEFAULT.code, limit: int = 5, settled: bool = False,
                allow_encoder: Callable[[str], bool] | None = None, fusion: str | None = None) -> SearchResponse:
        """Suggestions for the text on screen, as typed so far (a trailing space ends the last word);
        `settled`: the reader stopped typing (Enter, a pause, the ticket sent); `fusion`: another than
        the default, for evaluation."""
        return self.run(plan_suggest(self.index, query, lang, limit, settled, fusion), allow_encoder)

    def respond(self, plan: QueryPlan, evidence: Evidence, fused: Mapping[str, float], mode: Mode,
                facts: QueryFacts, judged: Mapping[str, float] | None = None,
                shown: Mapping[str, float] | None = None) -> SearchResponse:
        """Rank `fused`, decide whether it answers (the no-answer model of `mode`), and build the hits.
        `judged`: the scores the decision and the answer policy read (`Fusion.judge`; default `fused`);
        `shown`: the order the hits are listed in (`fusion.with_recall`; default `fused`'s)."""
        order = ranking.top(fused, plan.limit)
        judged = fused if judged is None else judged
        top_score = float(judged.get(order[0][0], 0.0)) if order else 0.0
        features = self._features(plan.terms, order, evidence, facts, top_score, self._naming(plan))
        if not plan.asks:  # found in some article all the same: a number quoted, سلام in an example
            confidence, answered = 0.0, False
        else:
            confidence = self.answer.probability(features, mode) if features else 0.0
            answered = self.answer.answered(features, mode)
        listed = order if shown is None or shown is fused else ranking.top(shown, plan.limit)
        top = listed[:plan.limit] if answered else listed[:min(plan.limit, UNANSWERED_RELATED)]
        pscore = evidence.passages if evidence.vector else None  # all zero when no vector stage ran
        hits = tuple(self._hit(slug, s, plan.lang, plan.terms, pscore) for slug, s in _shown_scores(top, judged))
        answer, answer_evidence = None, {}
        if answered and hits and mode == "hybrid" and pscore is not None:
            # the listed top's lead over the best other article, on the judging scale (negative when
            # another is judged first: then no direct answer)
            runner_up = next((v for slug, v in ranking.top(judged, 2) if slug != listed[0][0]), 0.0)
            margin = float(judged.get(listed[0][0], 0.0)) - runner_up
            answer, answer_evidence = self._answer(hits[0], plan.terms, pscore, confidence, margin)
        return SearchResponse(plan.query, plan.lang, answered, hits, round(confidence, 4), features, answer,
                              answer_evidence, plan.asks)

    def _naming(self, plan: QueryPlan) -> Naming:
        """The other companies' services the query names and how (`scope.Services.naming`), as typed or
        as read: reading may take a name for a typo or for Finglish, or convert one typed in the wrong
        layout; not in the player's contact details (gmail in an e-mail address: `QueryPlan.asked`)."""
        services = self.index.services
        if not services:
            return Naming()
        asked = plan.asked or plan.query
        naming = services.naming(asked)
        if plan.encode and plan.encode != asked:
            naming |= services.naming(plan.encode)
        return naming

    def _features(self, terms, order, evidence: Evidence, facts: QueryFacts, top_score: float,
                  naming: Naming = Naming()) -> dict[str, float]:
        """The signals the no-answer model weighs (`answer.MODE_FEATURES`); `naming`: what the query
        names and how (`_naming`). The language features are those of the language the text read is
        written in (`QueryFacts.written`; default the reader's): Finglish on the English site, read as
        Persian, has a Persian query's features and is judged as one."""
        if not order:
            return {}
        top_slug = order[0][0]
        kw_slugs, vec_slugs, scope = evidence.keyword, evidence.vector, evidence.scope
        fallback = facts.lang not in self.langs_by_slug[top_slug]
        cover = 0.0
        if terms:
            found: set[str] = set()
            stood = self.stood_for(terms)  # a term is found where a word of its synonym group is
            for other in self.langs_by_slug[top_slug]:
                words = self.index.article_terms[f"{other}/{top_slug}"]
                found |= words & set(terms)
                found |= {t for t, alike in stood.items() if alike & words}
            cover = len(found) / len(set(terms))
        kw_top = max(kw_slugs.values(), default=0.0)
        top3 = lambda run: {k for k, _ in ranking.top(run, 3)}  # noqa: E731
        vec_top = float(vec_slugs.get(top_slug, 0.0))
        nearest_ours = vec_top
        named = naming.services - self._services_of[top_slug]
        other, company = bool(named), bool(named - self.index.services.topics)  # company: not only subjects
        if fallback and evidence.in_scope is not None:
            # an article in another language: than to it or to our nearest phrase in the reader's language
            # (its own keywords in that script among them); a question in the reader's language is always
            # nearer than a text in another, and would count against every fallback
            nearest_ours = max(vec_top, evidence.in_scope)
        features = {
            "vec_top": vec_top,
            "fallback": 1.0 if fallback else 0.0,
            # how much closer the query is to a question we do not answer than to the top article
            "scope": max(0.0, scope - nearest_ours) if scope is not None and vec_slugs else 0.0,
            "kw_top": ranking.saturate(kw_top),
            "kw_cover": cover,
            "known": facts.known,
            "fused_top": top_score,  # judged (`Fusion.judge`)
            "agree": 1.0 if kw_slugs and vec_slugs and (top3(kw_slugs) & top3(vec_slugs)) else 0.0,
            # the query names another company's service, or a subject no article covers, that the top
            # article is not about
            "other_service": 1.0 if other else 0.0,
            # ... and how much of the query's meaning the names carry (`service_share`)
            "service_share": evidence.service_share if other else 0.0,
            # ... and how a name stands: the means of an errand of ours ("with my Revolut card"), or first,
            # what the question is about ("Binance froze my account")
            "service_means": 1.0 if other and naming.means else 0.0,
            "service_first": 1.0 if other and naming.first else 0.0,
            # ... only a subject no article covers, no company ("are you hiring?", "tax on winnings")
            "service_topic": 1.0 if other and not company else 0.0,
            # ... or the setting the errand happens in ("can't log in on Safari")
            "service_setting": 1.0 if other and naming.setting else 0.0,
            # ... or the owner of what is asked about (کیف پول اسنپ, Snapp's wallet)
            "service_owned": 1.0 if other and naming.owned else 0.0,
            # ... and whether the rest, without the names, is like the questions we answer or those we do not
            "service_rest": evidence.service_rest if other and evidence.service_rest is not None else 0.0,
            # ... while a question about another company is put to us ("why do you need my ID when Bet365
            # never asked"; not one about a subject: "are you hiring?")
            "service_addressed": 1.0 if company and naming.addressed else 0.0,
            **ranking.language_features(facts.written or facts.lang),
        }
        if scope is not None and evidence.in_scope is not None:
            # ... than to the closest title, keyword or heading: short texts both (negative: farther). Left
            # out when there is nothing to compare: the model reads it at its mean (`AnswerModel.means`)
            features["scope_phrase"] = scope - evidence.in_scope
        if evidence.examples is not None:
            features["example_margin"] = evidence.examples
        if evidence.examples_across is not None:
            features["example_across"] = evidence.examples_across
        if evidence.examples_vote is not None:
            features["example_vote"] = evidence.examples_vote
        return features

    def _sections(self, key: str, term_set: frozenset[str], pscore: np.ndarray | None):
        """The article's sections by how well each matches: its best passage's cosine (relative to the
        article's best) plus the share of the query's terms in it. Returns (best entry, its score, the
        runner-up's score)."""
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
        best, best_score, second = sections[0], -1.0, -1.0
        for entry, v in zip(sections, vector_score):
            s = v + len(entry[1] & term_set) / max(1, len(term_set))
            if s > best_score:
                best, best_score, second = entry, s, best_score
            elif s > second:
                second = s
        return best, best_score, second

    def _hit(self, slug: str, score: float, lang: str, terms: tuple[str, ...], pscore: np.ndarray | None) -> Hit:
        shown = self.display_lang(slug, lang)
        key = f"{shown}/{slug}"
        article = self.index.articles[key]
        term_set = frozenset(terms)
        (section, _, text, words, _), _, _ = self._sections(key, term_set, pscore)
        snippet, spans = make_snippet(text, term_set, words=words)
        return Hit(slug=slug, lang=shown, title=article.title, score=round(float(score), 4),
                   anchor=section.anchor, section=section.heading, snippet=snippet, highlights=spans,
                   fallback=shown != lang)

    def _answer(self, hit: Hit, terms: tuple[str, ...], pscore: np.ndarray, confidence: float,
                margin: float) -> tuple[Answer | None, dict]:
        """The direct answer from the section of the top hit that answers, when `self.answer_policy`
        allows one, and what the policy looked at."""
        section, lead = self.answering_section(f"{hit.lang}/{hit.slug}", frozenset(terms), pscore)
        evidence = {"probability": confidence, "margin": margin, "section_lead": lead}
        if not self.answer_policy.allows(confidence, margin, lead):
            return None, evidence  # two sections matching about as well is a guess, too
        source = section.markdown or self.index.articles[f"{hit.lang}/{hit.slug}"].summary
        text = passage(source, terms)
        if not text:
            return None, evidence
        return Answer(hit.slug, hit.lang, hit.title, section.heading, section.anchor, text), evidence

    def answering_section(self, key: str, term_set: frozenset[str], pscore: np.ndarray) -> tuple[Section, float]:
        """The section of an article that answers the query, and by how much its score leads the next
        section's (the policy's section weights over `section_features`)."""
        sections, features = self.section_features(key, term_set, pscore)
        scores = features @ np.asarray(self.answer_policy.section_weights)
        best = int(np.argmax(scores))
        lead = float(scores[best] - np.max(np.delete(scores, best))) if len(scores) > 1 else float("inf")
        return sections[best], lead

    def section_features(self, key: str, term_set: frozenset[str], pscore: np.ndarray) -> tuple[list[Section], np.ndarray]:
        """An article's sections and, for each, `answers.SECTION_FEATURES` for the query.

        The vector features leave out the article's overview passage (it matches most queries about the
        article, so it would pick the introduction); translations' sections align, so the vector
        evidence of every translation whose sections align (as many as this one's) counts."""
        entries = self._sections_of[key]
        slug = key.split("/", 1)[1]
        aligned = [f"{lang}/{slug}" for lang in sorted(self.langs_by_slug[slug])
                   if len(self._sections_of.get(f"{lang}/{slug}", ())) == len(entries)]
        vectors = np.array([self._relative_vectors(other, pscore) for other in aligned or [key]])
        n = max(1, len(term_set))
        terms = np.array([[len(entry[1] & term_set) / n,
                           len(self._heading_terms(entry[0].heading) & term_set) / n if entry[0].heading else 0.0]
                          for entry in entries])
        own = self._relative_vectors(key, pscore)
        features = np.column_stack([own, vectors.mean(axis=0), vectors.max(axis=0), terms, self._section_shape[key]])
        return [entry[0] for entry in entries], features

    def _relative_vectors(self, key: str, pscore: np.ndarray) -> np.ndarray:
        """Per entry of `_sections_of[key]`: its best passage's cosine against the best, overview left out."""
        pids, anchors = self._passages_of.get(key, (np.zeros(0, dtype=np.int64), ()))
        sec_vec: dict[str, float] = {}
        for anchor, s in zip(anchors[1:], pscore[pids[1:]].tolist()):
            if s > sec_vec.get(anchor, -1.0):
                sec_vec[anchor] = s
        top_vec = max(sec_vec.values(), default=0.0)
        return np.array([_section_vector_score(sec_vec.get(entry[0].anchor), top_vec) for entry in self._sections_of[key]])

    @staticmethod
    @lru_cache(maxsize=4096)
    def _heading_terms(heading: str) -> frozenset[str]:
        return frozenset(analyze(heading))
