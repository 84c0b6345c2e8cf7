"""Keyword index: Whoosh BM25F over one document per article and language."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema

from helpcenter.content.articles import Article
from helpcenter.index.analysis import whoosh_analyzer

log = logging.getLogger(__name__)

# Title, summary and keywords (players' own words, slang, misspellings) weigh more than the body.
FIELD_BOOSTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "body": 1.0}
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)


def schema() -> Schema:
    an = whoosh_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        **{name: TEXT(analyzer=an, field_boost=boost, stored=False) for name, boost in FIELD_BOOSTS.items()},
    )


def build_keyword_index(path: Path, articles: Iterable[Article]) -> int:
    """Write a Whoosh index of `articles` into `path` (which must be new); returns the document count."""
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema())
    writer = ix.writer()
    n = 0
    for a in articles:
        writer.add_document(key=a.key, title=a.title, summary=a.summary,
                            keywords="\n".join(a.keywords), body=a.text)
        n += 1
    writer.commit()
    return n


@dataclass(frozen=True)
class KeywordHit:
    key: str  # "lang/slug"
    score: float


class KeywordIndex:
    """Read-only BM25F over a built Whoosh index, scored from a table of precomputed impacts.

    A help center's collection is small (hundreds of documents), so at open every (term, document)
    score is computed once with Whoosh's own BM25F scorer and the field boosts the index was written
    with, summed over the fields. A query's score for a document is then the weighted sum of its
    terms' impacts: the same number Whoosh's `Or([Term(field, t, boost=w) …])` computes, without
    building matchers per query (~10 ms of Python per query on a 2-core server; this takes ~0.1 ms).
    `tests/test_keyword.py` checks the two agree.
    """

    def __init__(self, path: Path) -> None:
        ix = whoosh_index.open_dir(str(path))
        with ix.searcher(weighting=WEIGHTING) as searcher:
            reader = searcher.reader()
            self.doc_count = reader.doc_count_all()
            self.keys: list[str] = [reader.stored_fields(d)["key"] for d in range(self.doc_count)]
            impacts: dict[str, dict[int, float]] = {}
            for name in FIELD_BOOSTS:
                field = searcher.schema[name]
                for btext in reader.lexicon(name):
                    term = field.from_bytes(btext)
                    per_doc = impacts.setdefault(term, {})
                    m = searcher.postings(name, btext, weighting=WEIGHTING)
                    while m.is_active():
                        per_doc[m.id()] = per_doc.get(m.id(), 0.0) + m.score()
                        m.next()
        ix.close()
        self._impacts = {t: (np.fromiter(d.keys(), np.int32, len(d)), np.fromiter(d.values(), np.float64, len(d)))
                         for t, d in impacts.items()}

    def scores(self, weighted: Mapping[str, float]) -> np.ndarray | None:
        """Each document's BM25F score (by document number, see `keys`) for weighted terms; None when no
        term is in the index."""
        scores = None
        for t, w in weighted.items():
            posting = self._impacts.get(t)
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

    def known_fraction(self, terms: Iterable[str]) -> float:
        """Share of distinct `terms` that occur anywhere in the index (0 when there are none)."""
        unique = set(terms)
        if not unique:
            return 0.0
        return sum(1 for t in unique if t in self._impacts) / len(unique)

    def close(self) -> None:
        """Nothing stays open: the Whoosh files are read once, at construction."""
