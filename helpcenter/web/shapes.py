"""The API's JSON shapes and the site's article URLs; `kb search --json` prints the same."""
from __future__ import annotations

from helpcenter.search.answers import Answer
from helpcenter.search.searcher import SearchResponse


def article_url(lang: str, slug: str, anchor: str = "") -> str:
    """The site's address of an article (and of one of its sections)."""
    return f"/{lang}/articles/{slug}" + (f"#{anchor}" if anchor else "")


def answer_json(answer: Answer | None) -> dict | None:
    """A direct answer as the API gives it: `text` is plain text, at most 600 characters."""
    if answer is None:
        return None
    return {"slug": answer.slug, "lang": answer.lang, "title": answer.title, "section": answer.section,
            "url": article_url(answer.lang, answer.slug, answer.anchor), "text": answer.text}


def response_json(resp: SearchResponse) -> dict:
    """The API's JSON shape of a response (README, "HTTP API")."""
    return {
        "query": resp.query,
        "lang": resp.lang,
        "answered": resp.answered,
        "answer": answer_json(resp.answer),
        "results": [
            {
                "slug": h.slug, "lang": h.lang, "title": h.title,
                "url": article_url(h.lang, h.slug),
                "snippet": h.snippet, "score": h.score,
                "section": h.section, "anchor": h.anchor,
                "section_url": article_url(h.lang, h.slug, h.anchor),
                "highlights": [list(s) for s in h.highlights],
                "fallback": h.fallback,
            }
            for h in resp.hits
        ],
    }
