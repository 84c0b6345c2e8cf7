"""Keyword index: Whoosh BM25F over one document per article and language."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage, copy_to_ram
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Term

from indexer.analysis import analyze, whoosh_analyzer
from kb.articles import Article

log = logging.getLogger(__name__)

# Title, summary and keywords (players' own words, slang, misspellings) weigh more than the body.
FIELD_BOOSTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "body": 1.0}


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
    """Read-only access to a built keyword index; one Whoosh searcher per thread."""

    def __init__(self, path: Path) -> None:
        # A help center's index is small: held in RAM it is faster and keeps no files of an old version open.
        self._ix = copy_to_ram(FileStorage(str(path))).open_index()
        self._local = threading.local()
        self.doc_count = self._ix.doc_count()

    def _searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        return s

    def search(self, terms: Iterable[str] | Mapping[str, float], limit: int = 50) -> list[KeywordHit]:
        """BM25F over all fields for already analyzed `terms` (any term may match).

        Args:
            terms: the terms, or a mapping of term to weight (synonym expansions weigh less).
        """
        weighted = dict(terms) if isinstance(terms, Mapping) else dict.fromkeys(terms, 1.0)
        if not weighted:
            return []
        query = Or([Term(field, t, boost=w) for t, w in weighted.items() for field in FIELD_BOOSTS])
        results = self._searcher().search(query, limit=limit)
        return [KeywordHit(r["key"], float(r.score)) for r in results]

    def known_fraction(self, terms: Iterable[str]) -> float:
        """Share of distinct `terms` that occur anywhere in the index (0 when there are none)."""
        unique = set(terms)
        if not unique:
            return 0.0
        reader = self._searcher().reader()
        known = sum(1 for t in unique if any(reader.doc_frequency(f, t) for f in FIELD_BOOSTS))
        return known / len(unique)

    def search_text(self, text: str, limit: int = 50) -> list[KeywordHit]:
        return self.search(analyze(text), limit)

    def close(self) -> None:
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
        self._ix.close()
