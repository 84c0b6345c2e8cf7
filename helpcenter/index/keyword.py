"""Keyword index: Whoosh BM25F over one document per article and language, and BM25 over the character
bigrams of its title (three times) and text (`analysis.char_bigrams`; in the languages that run them:
`Language.bigram_run`)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema

from helpcenter.content.articles import Article
from helpcenter.index.analysis import BigramTokenizer, whoosh_analyzer
from helpcenter.languages import BY_CODE

log = logging.getLogger(__name__)

# Title, summary and keywords (players' own words, slang, misspellings) weigh more than the body.
FIELD_BOOSTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "body": 1.0}
GRAMS = "grams"  # the bigram field: scored on its own, never summed with the fields above
TITLE_REPEATS = 3  # the title's weight in the bigram field (docs/ranking.md: how it was measured)
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)


def schema() -> Schema:
    an = whoosh_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        **{name: TEXT(analyzer=an, field_boost=boost, stored=False) for name, boost in FIELD_BOOSTS.items()},
        **{GRAMS: TEXT(analyzer=BigramTokenizer(), phrase=False, stored=False)},
    )


def build_keyword_index(path: Path, articles: Iterable[Article]) -> int:
    """Write a Whoosh index of `articles` into `path` (which must be new); returns the document count."""
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema())
    writer = ix.writer()
    n = 0
    for a in articles:
        grams = "\n".join([a.title] * TITLE_REPEATS + [a.text]) if BY_CODE[a.lang].bigram_run else ""
        writer.add_document(key=a.key, title=a.title, summary=a.summary,
                            keywords="\n".join(a.keywords), body=a.text, **{GRAMS: grams})
        n += 1
    writer.commit()
    return n


def _impacts(searcher, fields) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """term -> (document numbers, its BM25F score in each, summed over `fields`): Whoosh's BM25F formula
    (`scoring.bm25`) with its own statistics (idf, average field length, each document's field length),
    a posting list at a time in numpy: a Whoosh scorer per term and a call of it per posting made opening
    the shipped index 1.65 s instead of 0.84 s (chatbot-ko's 7,753 articles: 5.2 s instead of 2.0 s)."""
    reader = searcher.reader()
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}  # term -> per field: (documents, scores)
    b, k1 = WEIGHTING.B, WEIGHTING.K1
    for name in fields:
        field = searcher.schema[name]
        # the length Whoosh's scorer reads (`doc_field_length(doc, field, 1)`)
        lengths = np.array([reader.doc_field_length(d, name, 1) for d in range(reader.doc_count_all())], float)
        avg = searcher.avg_field_length(name) or 1
        for btext in reader.lexicon(name):
            ids, weights = [], []
            m = reader.postings(name, btext)  # no scorer per term: the formula is applied below
            while m.is_active():
                ids.append(m.id())
                weights.append(m.weight())
                m.next()
            docs, tf = np.array(ids, np.int64), np.array(weights, float)
            scores = searcher.idf(name, btext) * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths[docs] / avg))
            parts.setdefault(field.from_bytes(btext), []).append((docs, scores))
    impacts = {}
    for term, found in parts.items():
        if len(found) == 1:
            docs, scores = found[0]
        else:  # the term in several fields: one score per document, summed
            docs, where = np.unique(np.concatenate([d for d, _ in found]), return_inverse=True)
            scores = np.bincount(where, weights=np.concatenate([v for _, v in found]), minlength=len(docs))
        impacts[term] = (docs.astype(np.int32), scores)
    return impacts


@dataclass(frozen=True)
class KeywordHit:
    key: str  # "lang/slug"
    score: float


class KeywordIndex:
    """Read-only BM25F over a built Whoosh index, scored from a table of precomputed impacts.

    A help center's collection is small (hundreds of documents), so at open every (term, document)
    score is computed once with Whoosh's BM25F formula and statistics and the field boosts the index
    was written with, summed over the fields (`_impacts`). A query's score for a document is then the
    weighted sum of its terms' impacts: the same number Whoosh's `Or([Term(field, t, boost=w) …])`
    computes, without building matchers per query (~10 ms of Python per query on a 2-core server; this takes ~0.1 ms).
    `tests/test_keyword.py` checks the two agree. The bigram field's impacts are a table of their own
    (`gram_scores`).
    """

    def __init__(self, path: Path) -> None:
        ix = whoosh_index.open_dir(str(path))
        with ix.searcher(weighting=WEIGHTING) as searcher:
            reader = searcher.reader()
            self.doc_count = reader.doc_count_all()
            self.keys: list[str] = [reader.stored_fields(d)["key"] for d in range(self.doc_count)]
            self._impacts = _impacts(searcher, FIELD_BOOSTS)
            self._keyword_impacts = _impacts(searcher, ("keywords",))  # `keyword_field_scores`
            self._gram_impacts = _impacts(searcher, (GRAMS,))
        ix.close()

    def scores(self, weighted: Mapping[str, float],
               alternatives: Sequence[tuple[float, Sequence[Sequence[str]]]] = ()) -> np.ndarray | None:
        """Each document's BM25F score (by document number, see `keys`) for weighted terms, plus each
        group of `alternatives`' weight x its best entry in it (an entry counts where all its terms are:
        the mean of their scores, one word's worth); None when nothing is in the index.

        Args:
            alternatives: synonym groups (`Synonyms.alternatives`), each (weight, entries), an entry the
                analyzed terms of one way to say it. A group counts once, as one word would.
        """
        scores = self._score(self._impacts, weighted)
        for weight, group in alternatives:
            best = None
            for entry in group:
                found = self._entry_scores(entry)
                if found is not None:
                    best = found if best is None else np.maximum(best, found)
            if best is not None:
                scores = weight * best if scores is None else scores + weight * best
        return scores

    def _entry_scores(self, entry: Sequence[str]) -> np.ndarray | None:
        """The mean of `entry`'s terms' scores in each document that has all of them (0 elsewhere)."""
        unique = dict.fromkeys(entry)
        total, present = np.zeros(self.doc_count), np.zeros(self.doc_count, np.int32)
        for t in unique:
            posting = self._impacts.get(t)
            if posting is None:
                return None
            total[posting[0]] += posting[1]
            present[posting[0]] += 1
        total[present < len(unique)] = 0.0
        return total / len(unique) if total.any() else None

    def keyword_field_scores(self, weighted: Mapping[str, float]) -> np.ndarray | None:
        """Each document's BM25F score over its keywords field alone for weighted terms (None when none
        is there): the part of `scores` an article's keywords give it."""
        return self._score(self._keyword_impacts, weighted)

    def gram_scores(self, grams: Mapping[str, float]) -> np.ndarray | None:
        """Each document's BM25 score over the bigram field for weighted bigrams (a bigram's count in
        the query); None when none is in the index."""
        return self._score(self._gram_impacts, grams)

    def _score(self, impacts: Mapping[str, tuple[np.ndarray, np.ndarray]], weighted: Mapping[str, float]
               ) -> np.ndarray | None:
        scores = None
        for t, w in weighted.items():
            posting = impacts.get(t)
            if posting is not None:
                if scores is None:
                    scores = np.zeros(self.doc_count)
                scores[posting[0]] += w * posting[1]
        return scores

    def search(self, terms: Iterable[str] | Mapping[str, float], limit: int = 50) -> list[KeywordHit]:
        """BM25F over all fields for already analyzed `terms` (any term may match), best first.

        Args:
            terms: the terms, or a mapping of term to weight (synonym expansions weigh less).
        """
        scores = self.scores(dict(terms) if isinstance(terms, Mapping) else dict.fromkeys(terms, 1.0))
        if scores is None:
            return []
        docs = np.flatnonzero(scores)
        top = docs[np.lexsort((docs, -scores[docs]))][:limit]  # by score, then document number (as Whoosh)
        return [KeywordHit(self.keys[d], float(scores[d])) for d in top]

    def has(self, term: str) -> bool:
        """Whether `term` occurs anywhere in the index."""
        return term in self._impacts

    def known_fraction(self, terms: Iterable[str], known_too: Iterable[str] = ()) -> float:
        """Share of distinct `terms` that occur anywhere in the index, or are among `known_too` (0 when there
        are none)."""
        unique, also = set(terms), set(known_too)
        if not unique:
            return 0.0
        return sum(1 for t in unique if t in also or self.has(t)) / len(unique)

    def close(self) -> None:
        """Nothing stays open: the Whoosh files are read once, at construction."""
