"""Search and deflection analytics for the editors' dashboard: plain aggregations over the logs."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from sqlalchemy import select

from helpcenter.insights.db import Database, as_utc, events, now, queries


def _since(days: int) -> dt.datetime:
    return now() - dt.timedelta(days=days)


def searches_per_day(db: Database, days: int = 14) -> list[tuple[str, int]]:
    """Logged queries per UTC day, oldest first, every day present (zeros included)."""
    rows = db.rows(select(queries.c.ts).where(queries.c.ts >= _since(days)))
    counts = Counter(as_utc(r["ts"]).date() for r in rows)
    today = now().date()
    return [((today - dt.timedelta(days=i)).isoformat(), counts.get(today - dt.timedelta(days=i), 0))
            for i in range(days - 1, -1, -1)]


def no_answer_rate(db: Database, days: int = 30) -> dict[str, tuple[int, int]]:
    """Per language: (unanswered, total) queries."""
    rows = db.rows(select(queries.c.lang, queries.c.answered).where(queries.c.ts >= _since(days)))
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        out[r["lang"]][0] += 0 if r["answered"] else 1
        out[r["lang"]][1] += 1
    return {lang: (v[0], v[1]) for lang, v in sorted(out.items())}


def top_queries(db: Database, days: int = 30, n: int = 15) -> list[tuple[str, str, int, int]]:
    """Most frequent queries: (query, lang, count, unanswered count)."""
    rows = db.rows(select(queries.c.query, queries.c.lang, queries.c.answered).where(queries.c.ts >= _since(days)))
    total: Counter = Counter()
    missed: Counter = Counter()
    for r in rows:
        key = (r["query"].strip().lower(), r["lang"])
        total[key] += 1
        missed[key] += 0 if r["answered"] else 1
    return [(q, lang, c, missed[(q, lang)]) for (q, lang), c in total.most_common(n)]


FUNNEL = ("suggestion_shown", "suggestion_clicked", "ticket_abandoned", "ticket_submitted")


def deflection_funnel(db: Database, days: int = 30) -> dict[str, float]:
    """Ticket-form visits at each step: suggestions shown → article opened → solved (no ticket) or a
    ticket submitted.

    A visit is one page load of the ticket form or of a form with the widget (the `visit` id their
    events carry), not a browser: a player who solved one problem with an article and later sent four
    tickets made five visits, one solved and four submitted. A visit that sent a ticket counts as
    submitted whatever it opened or said before. A ticket sent without the script (no visit id) is a
    visit of its own. The deflection rate is solved / (solved + submitted).
    """
    rows = db.rows(select(events.c.type, events.c.data).where(events.c.ts >= _since(days),
                                                              events.c.type.in_(FUNNEL)))
    steps: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        try:
            data = json.loads(r["data"] or "{}")
        except ValueError:
            data = {}
        visit = data.get("visit") if isinstance(data, dict) else None
        if not visit and r["type"] == "ticket_submitted" and isinstance(data, dict) and data.get("number"):
            visit = f"ticket:{data['number']}"
        if visit:
            steps[r["type"]].add(str(visit))
    submitted = steps["ticket_submitted"]
    solved = steps["ticket_abandoned"] - submitted
    shown = steps["suggestion_shown"]
    finished = len(solved) + len(submitted)
    return {
        "shown": len(shown), "opened": len(steps["suggestion_clicked"] & shown),
        "solved": len(solved), "submitted": len(submitted),
        "deflection_rate": len(solved) / finished if finished else 0.0,
    }


def helpful_ratios(db: Database, days: int = 90, n: int = 10) -> list[tuple[str, str, int, int, float]]:
    """Articles by worst helpful ratio: (slug, lang, helpful, not helpful, ratio), at least 1 vote."""
    rows = db.rows(select(events.c.slug, events.c.lang, events.c.type).where(
        events.c.ts >= _since(days), events.c.type.in_(["article_helpful", "article_not_helpful"])))
    votes: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        votes[(r["slug"], r["lang"])][0 if r["type"] == "article_helpful" else 1] += 1
    out = [(slug, lang, yes, no, yes / (yes + no)) for (slug, lang), (yes, no) in votes.items() if slug]
    return sorted(out, key=lambda x: (x[4], -x[3], x[0]))[:n]
