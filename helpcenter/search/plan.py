"""A query plan: what to retrieve with, and how, for one request; search and suggest each build one.

`Searcher.run` executes any plan the same way (keyword retrieval, best bets, the encoder when the plan
says so, fusion, the no-answer decision, hits). `plan_search` reads a whole query; `suggest.plan_suggest`
reads a partial one as it is typed. The query rules (`validate`) are checked once, at the edges that
take text from outside (the API and the site's views, the CLI's options), not here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

from helpcenter.content.errors import QueryError
from helpcenter.index.analysis import analyze
from helpcenter.index.versions import Index
from helpcenter.languages import DEFAULT, LANGS
from helpcenter.search.reading import asked_of_reading, asks_nothing, read_whole_query, what_is_asked

MAX_QUERY_CHARS = 500
MAX_LIMIT = 50
Mode = Literal["hybrid", "keyword", "vector"]


@dataclass(frozen=True)
class QueryPlan:
    """How to answer one request.

    Attributes:
        query: the text as the response shows it.
        lang: the reader's language.
        limit: the most results to return.
        terms: the query's own analyzed terms: what best bets, the no-answer model and snippets see.
        weighted: terms to retrieve with and their weights (completions); empty: no keyword run.
        alternatives: the synonym groups the terms match (`Synonyms.alternatives`), retrieved with too,
            each group as one word.
        phrases: best bets found while reading the query (slug -> score), beside whole-phrase matches.
        encode: the text the encoder reads; None: no vector run.
        encode_if_nothing: the text the encoder reads instead when the keyword run and best bets find
            nothing (a finished word nothing matches as typed).
        mode: "hybrid", or one retriever alone ("keyword", "vector": evaluation); best bets in hybrid only.
        fusion: the fusion's name (`search.fusion.FUSIONS`).
        asked: the query as far as it asks (`reading.what_is_asked`: no contact details, greetings or
            thanks), what the reading started from and other companies' names are looked for in; "": `query`.
        settled: the reader stopped typing (a search, or a suggestion once settled): only then is a query
            that is an editor's keyword word for word taken as that keyword (`Searcher.said_exactly`).
        asks: False when the text asks nothing (`reading.asks_nothing`: a greeting, thanks, contact details,
            "test", "no", "why?", "I have a problem", numbers alone): then it is not answered, whatever
            it finds.
    """

    query: str
    lang: str
    limit: int
    terms: tuple[str, ...]
    weighted: Mapping[str, float]
    alternatives: tuple[tuple[float, tuple[tuple[str, ...], ...]], ...] = ()
    phrases: Mapping[str, float] = field(default_factory=dict)
    encode: str | None = None
    encode_if_nothing: str | None = None
    mode: Mode = "hybrid"
    fusion: str | None = None
    asked: str = ""
    settled: bool = True
    asks: bool = True


def validate(query: str | None, lang: str | None, limit: int | str | None, default_limit: int) -> tuple[str, str, int]:
    """Check a request's parameters; returns (query, lang, limit) or raises QueryError saying why."""
    if query is None or not query.strip():
        raise QueryError("parameter 'q' is required and must not be empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"parameter 'q' must be at most {MAX_QUERY_CHARS} characters")
    lang = lang or DEFAULT.code
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


def plan_search(index: Index, query: str, lang: str, limit: int, mode: Mode = "hybrid",
                fusion: str | None = None) -> QueryPlan:
    """The plan of a search: the whole query as far as it asks (`what_is_asked`: no contact details,
    greetings or thanks), Finglish read as Persian (and what it wraps its question in taken off as read:
    `asked_of_reading`), synonyms expanded, read by the encoder."""
    query = query.strip()
    asked = what_is_asked(query)
    read = read_whole_query(asked, lang, index.suggest)
    text = asked_of_reading(asked, read)
    terms = analyze(text)
    keyword = mode != "vector"
    weighted = dict.fromkeys(terms, 1.0) if keyword else {}
    alternatives = index.synonyms.alternatives(terms, index.keyword.has) if keyword else ()
    return QueryPlan(query, lang, limit, terms, weighted, alternatives, encode=text if mode != "keyword" else None,
                     mode=mode, fusion=fusion, asked=asked, asks=not asks_nothing(asked, read, terms))
