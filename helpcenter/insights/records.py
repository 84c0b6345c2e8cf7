"""The rows the service logs about its use: queries (settled ones) and the site's and widget's events,
personal data redacted before a row leaves this module."""
from __future__ import annotations

import json

from helpcenter.content.redact import redact
from helpcenter.insights.db import now
from helpcenter.search.searcher import SearchResponse

EVENT_TYPES = ("suggestion_shown", "suggestion_clicked", "article_helpful", "article_not_helpful",
               "ticket_submitted", "ticket_abandoned", "contact_requested")


def query_row(resp: SearchResponse, kind: str, session: str) -> dict:
    """The `queries` row of one answered request (`kind`: search or suggest)."""
    return {
        "ts": now(), "session": session[:64], "kind": kind, "lang": resp.lang, "query": redact(resp.query)[:500],
        "answered": resp.answered, "fallback": bool(resp.hits and resp.hits[0].fallback),
        "results": json.dumps([[h.slug, h.lang] for h in resp.hits[:5]]), "confidence": resp.confidence,
    }


def event_row(kind: str, session: str, lang: str = "", slug: str = "", query: str = "",
              data: dict | None = None) -> dict:
    """The `events` row of one event."""
    return {
        "ts": now(), "session": session[:64], "type": kind, "lang": lang[:2], "slug": slug[:120],
        "query": redact(query)[:500], "data": json.dumps(data or {}, ensure_ascii=False)[:4000],
    }
