"""The content-gap report: what players asked that the knowledge base could not answer, grouped.

Three kinds of gap:

- **missing content**: unanswered queries, grouped by meaning across languages with the index's
  encoder (embeddings centered on the collection's mean, average-linkage clustering);
- **missing translation**: queries answered only by an article in another language than the reader's,
  grouped by article and reader language;
- **unhelpful article**: "not helpful" votes, and tickets submitted after opening a suggested article.

Grouping by meaning runs the encoder, so it happens apart from page views: `GapReport.regroup` (run by
`kb gaps`, the admin's "Regroup now" button, or a scheduled `kb gaps`) clusters the unanswered queries
and records each one's group (`gap_members`); `GapReport.read`, which pages call, only reads. Groups are
kept in `gap_groups` so editors can mark them resolved (naming the article that now answers) or
dismissed; a resolved group that receives new queries reopens.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from helpcenter.index.analysis import normalize
from helpcenter.index.encoders import Encoder
from helpcenter.insights.db import Database, as_utc, events, gap_groups, gap_members, gap_runs, now, queries

log = logging.getLogger(__name__)

# Average cosine between members, after centering, above which queries are one topic. Chosen on
# cross-language probes (tax / live streams / jobs in en, ko, fa): same-topic pairs sit at 0.12–0.6,
# different topics at -0.2–0.35; average linkage keeps a group together where single pairs stray.
LINK_THRESHOLD = 0.22
MATCH_THRESHOLD = 0.5  # a new cluster continues a stored group when their centroids are this close
MAX_DISTINCT = 3000  # the most recent distinct unanswered queries clustered per regrouping
WINDOW_DAYS = 90  # how far back a regrouping looks (the default retention of query logs)
TREND_DAYS = 14
KINDS = ("missing_content", "missing_translation", "unhelpful_article")


@dataclass
class GapGroup:
    id: int  # 0: not yet given an id by a regrouping (no action can be taken on it yet)
    kind: str
    status: str
    size: int
    languages: dict[str, int]
    samples: list[str]
    first_seen: dt.datetime
    last_seen: dt.datetime
    trend: list[int]  # queries per day, oldest first, over the last TREND_DAYS days
    slug: str = ""  # the article concerned (translation and unhelpful gaps)
    resolved_slug: str = ""
    members: list[str] = field(default_factory=list, repr=False)

    @property
    def direction(self) -> str:
        recent, before = sum(self.trend[-7:]), sum(self.trend[:-7])
        if recent > before * 1.25 and recent - before >= 2:
            return "rising"
        if before > recent * 1.25 and before - recent >= 2:
            return "falling"
        return "steady"

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("members")
        d["first_seen"], d["last_seen"] = self.first_seen.isoformat(), self.last_seen.isoformat()
        d["direction"] = self.direction
        return d


def cluster(vectors: np.ndarray, threshold: float = LINK_THRESHOLD) -> list[list[int]]:
    """Average-linkage clusters of unit vectors: members' mean cosine stays above `threshold`.

    Returns lists of row indices, largest cluster first (ties by first index).
    """
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    dist = np.clip(pdist(vectors, metric="cosine"), 0.0, 2.0)
    labels = fcluster(linkage(dist, method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[int(label)].append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norms, 1e-9)


def _trend(stamps: list[dt.datetime], today: dt.date) -> list[int]:
    counts = [0] * TREND_DAYS
    for ts in stamps:
        age = (today - ts.date()).days
        if 0 <= age < TREND_DAYS:
            counts[TREND_DAYS - 1 - age] += 1
    return counts


@dataclass(frozen=True)
class Regrouping:
    ran_at: dt.datetime
    queries: int
    groups: int


class GapReport:
    """Gap groups over the query log and events: `regroup` computes and keeps them, `read` reads them."""

    def __init__(self, db: Database, encoder: Encoder | None = None, passage_mean: np.ndarray | None = None) -> None:
        """`encoder` and `passage_mean` (the index's) are needed by `regroup` only."""
        self.db = db
        self.encoder = encoder
        self.mean = passage_mean

    # -- regrouping: the only part that writes --------------------------------------------------------

    def regroup(self, since: dt.datetime | None = None) -> Regrouping:
        """Group the unanswered queries since `since` (default: `WINDOW_DAYS`) by meaning, record each
        query's group, give new translation and unhelpful-article gaps their rows, and reopen resolved
        groups that received queries after they were resolved."""
        if self.encoder is None or self.mean is None:
            raise ValueError("regrouping needs the index's encoder and mean passage embedding")
        since = since or now() - dt.timedelta(days=WINDOW_DAYS)
        rows = self._query_rows(select(queries).where(queries.c.ts >= since, queries.c.answered.is_(False)))
        by_text: dict[str, list[dict]] = defaultdict(list)
        for r in rows:  # newest first: the first MAX_DISTINCT distinct texts are the most recent
            key = normalize(r["query"]).strip()
            if key and (key in by_text or len(by_text) < MAX_DISTINCT):
                by_text[key].append(r)
        texts = list(by_text)
        stored = self._stored("missing_content")
        members: list[dict] = []
        groups = 0
        if texts:
            vecs = _unit(self.encoder.encode_queries(texts) - self.mean)
            for cluster_rows in cluster(vecs):
                centroid = _unit(vecs[cluster_rows].mean(axis=0))
                member_rows = [r for i in cluster_rows for r in by_text[texts[i]]]
                label = Counter(r["query"] for r in member_rows).most_common(1)[0][0]
                row = self._match_or_create("missing_content", centroid, label, stored)
                members += [{"query_id": r["id"], "group_id": row["id"]} for r in member_rows]
                self._reopen_if_new(row, member_rows)
                groups += 1
        with self.db.engine.begin() as conn:
            conn.execute(delete(gap_members))
            if members:
                conn.execute(insert(gap_members), members)
        for kind, live in (("missing_translation", self._translation_members(since, None)),
                           ("unhelpful_article", self._unhelpful_members(since, None))):
            stored = self._stored(kind)
            for label, member_rows in live.items():
                self._reopen_if_new(self._by_label(kind, label, stored, create=True), member_rows)
                groups += 1
        run = Regrouping(now(), len(members), groups)
        with self.db.engine.begin() as conn:
            conn.execute(insert(gap_runs).values(ran_at=run.ran_at, queries=run.queries, groups=run.groups))
        return run

    # -- reading: what pages call -----------------------------------------------------------------------

    def read(self, since: dt.datetime | None = None, lang: str | None = None,
             include_closed: bool = False) -> list[GapGroup]:
        """The gap groups with activity since `since` (default: 30 days), open ones first, biggest first.

        Unanswered queries count in the group the last regrouping put them in; translation and
        unhelpful-article gaps are counted as they are now (a new one has id 0 until the next regrouping).
        """
        since = since or now() - dt.timedelta(days=30)
        q = (select(queries.c.id, queries.c.ts, queries.c.lang, queries.c.query, gap_members.c.group_id)
             .join(gap_members, gap_members.c.query_id == queries.c.id).where(queries.c.ts >= since))
        if lang:
            q = q.where(queries.c.lang == lang)
        by_group: dict[int, list[dict]] = defaultdict(list)
        for r in self._query_rows(q):
            by_group[r["group_id"]].append(r)
        stored = {row["id"]: row for row in self.db.rows(select(gap_groups))}
        groups = [self._group(stored[gid], member_rows) for gid, member_rows in by_group.items() if gid in stored]
        for kind, live in (("missing_translation", self._translation_members(since, lang)),
                           ("unhelpful_article", self._unhelpful_members(since, lang))):
            rows_of_kind = [row for row in stored.values() if row["kind"] == kind]
            for label, member_rows in live.items():
                row = self._by_label(kind, label, rows_of_kind, create=False) or _unsaved(kind, label)
                groups.append(self._group(row, member_rows, slug=label.split(":", 1)[-1]))
        if not include_closed:
            groups = [g for g in groups if g.status == "open"]
        order = {"open": 0, "resolved": 1, "dismissed": 2}
        return sorted(groups, key=lambda g: (order[g.status], -g.size, KINDS.index(g.kind), g.id))

    def last_regrouping(self) -> Regrouping | None:
        rows = self.db.rows(select(gap_runs).order_by(gap_runs.c.id.desc()).limit(1))
        return Regrouping(as_utc(rows[0]["ran_at"]), rows[0]["queries"], rows[0]["groups"]) if rows else None

    def ungrouped(self, since: dt.datetime | None = None) -> int:
        """Unanswered queries since `since` that no regrouping has put in a group yet."""
        since = since or now() - dt.timedelta(days=30)
        q = (select(func.count()).select_from(queries)
             .where(queries.c.ts >= since, queries.c.answered.is_(False),
                    queries.c.id.not_in(select(gap_members.c.query_id))))
        with self.db.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def set_status(self, group_id: int, status: str, resolved_slug: str | None = None) -> bool:
        """Mark a group open, resolved (with the article that now answers it) or dismissed; False when
        there is no such group."""
        if status not in ("open", "resolved", "dismissed"):
            raise ValueError(f"unknown status {status!r}")
        with self.db.engine.begin() as conn:
            found = conn.execute(update(gap_groups).where(gap_groups.c.id == group_id).values(
                status=status, status_at=now(), resolved_slug=resolved_slug if status == "resolved" else None))
            return found.rowcount > 0

    # -- live groups: translation and unhelpful-article gaps --------------------------------------------

    def _query_rows(self, statement) -> list[dict]:
        rows = self.db.rows(statement.order_by(queries.c.ts.desc()))
        for r in rows:
            r["ts"] = as_utc(r["ts"])
        return rows

    def _translation_members(self, since: dt.datetime, lang: str | None) -> dict[str, list[dict]]:
        """Queries answered only by an article in another language, by "<reader lang>:<slug>"."""
        q = select(queries).where(queries.c.ts >= since, queries.c.answered.is_(True), queries.c.fallback.is_(True))
        if lang:
            q = q.where(queries.c.lang == lang)
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self._query_rows(q):
            results = json.loads(r["results"] or "[]")
            if results:
                out[f"{r['lang']}:{results[0][0]}"].append(r)
        return out

    def _unhelpful_members(self, since: dt.datetime, lang: str | None) -> dict[str, list[dict]]:
        """"Not helpful" votes, and articles opened from suggestions before a ticket was sent, by slug."""
        q = select(events).where(events.c.ts >= since, events.c.type.in_(
            ["article_not_helpful", "suggestion_clicked", "ticket_submitted"]))
        if lang:
            q = q.where(events.c.lang == lang)
        rows = self.db.rows(q.order_by(events.c.ts))
        by_slug: dict[str, list[dict]] = defaultdict(list)
        opened: dict[str, list[dict]] = defaultdict(list)  # session -> articles opened from suggestions
        for r in rows:
            r["ts"] = as_utc(r["ts"])
            if r["type"] == "article_not_helpful" and r["slug"]:
                by_slug[r["slug"]].append(r)
            elif r["type"] == "suggestion_clicked" and r["slug"] and r["session"]:
                opened[r["session"]].append(r)
            elif r["type"] == "ticket_submitted" and r["session"]:
                # read a suggested article and still needed a ticket: that article did not help
                for click in opened.pop(r["session"], []):
                    by_slug[click["slug"]].append({**click, "ts": r["ts"], "query": r["query"] or click["query"]})
        return by_slug

    # -- group identity and status ----------------------------------------------------------------------

    def _stored(self, kind: str) -> list[dict]:
        return self.db.rows(select(gap_groups).where(gap_groups.c.kind == kind))

    def _create(self, kind: str, label: str, centroid: np.ndarray | None) -> dict:
        values = {"kind": kind, "status": "open", "label": label, "created_at": now(),
                  "centroid": centroid.astype(np.float32).tobytes() if centroid is not None else None}
        with self.db.engine.begin() as conn:
            new_id = conn.execute(insert(gap_groups).values(**values).returning(gap_groups.c.id)).scalar_one()
        return {**values, "id": new_id, "resolved_slug": None, "status_at": None}

    def _match_or_create(self, kind: str, centroid: np.ndarray, label: str, stored: list[dict]) -> dict:
        best, best_sim = None, MATCH_THRESHOLD
        for row in stored:
            if row["centroid"] and len(row["centroid"]) == centroid.nbytes:
                sim = float(np.frombuffer(row["centroid"], dtype=np.float32) @ centroid)
                if sim >= best_sim:
                    best, best_sim = row, sim
        if best is None:
            best = self._create(kind, label, centroid)
            stored.append(best)
        return best

    def _by_label(self, kind: str, label: str, stored: list[dict], create: bool) -> dict | None:
        for row in stored:
            if row["label"] == label:
                return row
        if not create:
            return None
        row = self._create(kind, label, None)
        stored.append(row)
        return row

    def _reopen_if_new(self, row: dict, member_rows: list[dict]) -> None:
        if _reopened(row, member_rows):
            self.set_status(row["id"], "open")
            row["status"] = "open"

    def _group(self, row: dict, member_rows: list[dict], slug: str = "") -> GapGroup:
        stamps = [r["ts"] for r in member_rows]
        status = "open" if _reopened(row, member_rows) else row["status"]
        langs = Counter(r["lang"] for r in member_rows if r["lang"])
        samples = [q for q, _ in Counter(r["query"] for r in member_rows if r["query"]).most_common(5)]
        return GapGroup(
            id=row["id"], kind=row["kind"], status=status, size=len(member_rows),
            languages=dict(langs.most_common()), samples=samples, first_seen=min(stamps), last_seen=max(stamps),
            trend=_trend(stamps, now().date()), slug=slug, resolved_slug=row.get("resolved_slug") or "",
            members=[r["query"] for r in member_rows])


def _reopened(row: dict, member_rows: list[dict]) -> bool:
    """A resolved group with queries newer than its resolution: the fix did not cover them."""
    status_at = as_utc(row.get("status_at"))
    return row["status"] == "resolved" and bool(status_at) and max(r["ts"] for r in member_rows) > status_at


def _unsaved(kind: str, label: str) -> dict:
    return {"id": 0, "kind": kind, "status": "open", "label": label, "resolved_slug": None, "status_at": None}


def report_json(groups: list[GapGroup]) -> list[dict]:
    return [g.to_json() for g in groups]
