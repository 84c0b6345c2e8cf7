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


CHANNELS = (("search", "Site search"), ("contact_form", "Ticket form"), ("widget", "Widget"),
            ("telegram", "Telegram"), ("kakao", "KakaoTalk"))
_CHANNEL_OF_SOURCE = {"search_box": "search", "article": "search", "contact_form": "contact_form",
                      "widget": "widget", "telegram": "telegram", "kakao": "kakao"}


def deflection_by_channel(db: Database, days: int = 30) -> list[dict]:
    """Per channel: how many asked, how many were solved without a person, how many went to one.

    - Site search: a player's day on the site (session and UTC day) with a search; solved when they
      said an article helped that day and sent no ticket; to a person when they sent a ticket that day.
    - Ticket form and widget: visits, as `deflection_funnel` counts them.
    - Telegram and KakaoTalk: each question asked; solved: a "Solved" tap; to a person: a "Contact
      support" tap the channel sees (Kakao) or a ticket sent from the form it opened (`from=`).

    Deflection is solved / (solved + to a person); None with neither.
    """
    since = _since(days)
    asked: dict[str, set] = defaultdict(set)
    solved: dict[str, set] = defaultdict(set)
    person: dict[str, set] = defaultdict(set)
    for r in db.rows(select(queries.c.ts, queries.c.session, queries.c.kind, queries.c.id)
                     .where(queries.c.ts >= since, queries.c.kind.in_(["search", "telegram", "kakao"]))):
        if r["kind"] == "search":
            asked["search"].add((r["session"], as_utc(r["ts"]).date()))
        else:
            asked[r["kind"]].add(r["id"])
    for r in db.rows(select(events.c.ts, events.c.session, events.c.type, events.c.slug, events.c.id, events.c.data)
                     .where(events.c.ts >= since, events.c.type.in_(
                         ["article_helpful", "ticket_submitted", "ticket_abandoned", "suggestion_shown",
                          "contact_requested"]))):
        try:
            data = json.loads(r["data"] or "{}")
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        channel = _CHANNEL_OF_SOURCE.get(data.get("source"), "search")
        day = (r["session"], as_utc(r["ts"]).date())
        kind = r["type"]
        if channel in ("contact_form", "widget"):
            visit = data.get("visit") or (f"ticket:{data['number']}" if kind == "ticket_submitted" and data.get("number")
                                         else None)
            if visit:
                asked[channel].add(visit)
                if kind == "ticket_submitted":
                    person[channel].add(visit)
                elif kind == "ticket_abandoned":
                    solved[channel].add(visit)
            if kind == "ticket_submitted":  # a ticket after a search that day: the search did not solve it
                person["search"].add(day)
        elif channel == "search":
            if kind == "article_helpful":
                solved["search"].add(day)
        elif kind == "article_helpful":
            solved[channel].add(r["id"])
        elif kind in ("contact_requested", "ticket_submitted"):
            person[channel].add(r["id"])
    out = []
    for channel, label in CHANNELS:
        if channel == "search":
            person["search"] &= asked["search"]
            solved["search"] = (solved["search"] & asked["search"]) - person["search"]
        else:
            solved[channel] -= person[channel]
        s, p = len(solved[channel]), len(person[channel])
        out.append({"channel": channel, "label": label, "asked": len(asked[channel]), "solved": s, "to_person": p,
                    "deflection": s / (s + p) if s + p else None})
    return out


def helpful_ratios(db: Database, days: int = 90, n: int = 10) -> list[tuple[str, str, int, int, float]]:
    """Articles by worst helpful ratio: (slug, lang, helpful, not helpful, ratio), at least 1 vote."""
    rows = db.rows(select(events.c.slug, events.c.lang, events.c.type).where(
        events.c.ts >= _since(days), events.c.type.in_(["article_helpful", "article_not_helpful"])))
    votes: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        votes[(r["slug"], r["lang"])][0 if r["type"] == "article_helpful" else 1] += 1
    out = [(slug, lang, yes, no, yes / (yes + no)) for (slug, lang), (yes, no) in votes.items() if slug]
    return sorted(out, key=lambda x: (x[4], -x[3], x[0]))[:n]
