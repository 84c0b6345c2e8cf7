"""The content-gap report: what players asked that the knowledge base could not answer, grouped.

Three kinds of gap:

- **missing content**: unanswered queries, grouped by meaning across languages with the index's
  encoder (embeddings centered on the collection's mean, average-linkage clustering);
- **missing translation**: queries answered only by an article in another language than the reader's,
  grouped by article and reader language;
- **unhelpful article**: "not helpful" votes, and tickets submitted after opening a suggested article.

Groups are kept in `gap_groups` so editors can mark them resolved (naming the article that now answers)
or dismissed; a resolved group that receives new queries reopens.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlalchemy import insert, select, update

from helpcenter.index.analysis import normalize
from helpcenter.index.encoders import Encoder
from helpcenter.insights.db import Database, as_utc, events, gap_groups, now, queries

log = logging.getLogger(__name__)

# Average cosine between members, after centering, above which queries are one topic. Chosen on
# cross-language probes (tax / live streams / jobs in en, ko, fa): same-topic pairs sit at 0.12–0.6,
# different topics at -0.2–0.35; average linkage keeps a group together where single pairs stray.
LINK_THRESHOLD = 0.22
MATCH_THRESHOLD = 0.5  # a new cluster continues a stored group when their centroids are this close
MAX_DISTINCT = 3000  # the most recent distinct unanswered queries clustered per report
TREND_DAYS = 14
KINDS = ("missing_content", "missing_translation", "unhelpful_article")


@dataclass
class GapGroup:
    id: int
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


class GapReport:
    """Computes and persists gap groups from the query log and events."""

    def __init__(self, db: Database, encoder: Encoder, passage_mean: np.ndarray) -> None:
        self.db = db
        self.encoder = encoder
        self.mean = passage_mean

    # -- the report -------------------------------------------------------------------------------

    def build(self, since: dt.datetime | None = None, lang: str | None = None,
              include_closed: bool = False) -> list[GapGroup]:
        """All gap groups with activity since `since` (default: 30 days), open ones first, biggest first."""
        since = since or now() - dt.timedelta(days=30)
        q = select(queries).where(queries.c.ts >= since)
        if lang:
            q = q.where(queries.c.lang == lang)
        rows = self.db.rows(q.order_by(queries.c.ts.desc()))
        for r in rows:
            r["ts"] = as_utc(r["ts"])
        groups = self._content_groups([r for r in rows if not r["answered"]])
        groups += self._translation_groups([r for r in rows if r["answered"] and r["fallback"]])
        groups += self._unhelpful_groups(since, lang)
        if not include_closed:
            groups = [g for g in groups if g.status == "open"]
        order = {"open": 0, "resolved": 1, "dismissed": 2}
        return sorted(groups, key=lambda g: (order[g.status], -g.size, KINDS.index(g.kind), g.id))

    def _content_groups(self, rows: list[dict]) -> list[GapGroup]:
        by_text: dict[str, list[dict]] = defaultdict(list)
        for r in rows:  # newest first: the first MAX_DISTINCT distinct texts are the most recent
            key = normalize(r["query"]).strip()
            if key and (key in by_text or len(by_text) < MAX_DISTINCT):
                by_text[key].append(r)
        texts = list(by_text)
        if not texts:
            return []
        vecs = _unit(self.encoder.encode_queries(texts) - self.mean)
        stored = self._stored("missing_content")
        out = []
        for members in cluster(vecs):
            centroid = _unit(vecs[members].mean(axis=0))
            member_rows = [r for i in members for r in by_text[texts[i]]]
            label = Counter(r["query"] for r in member_rows).most_common(1)[0][0]
            row = self._match_or_create("missing_content", centroid, label, stored)
            out.append(self._group(row, member_rows))
        return out

    def _translation_groups(self, rows: list[dict]) -> list[GapGroup]:
        by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in rows:
            results = json.loads(r["results"] or "[]")
            if results:
                by_key[(results[0][0], r["lang"])].append(r)
        stored = self._stored("missing_translation")
        out = []
        for (slug, lang), member_rows in by_key.items():
            row = self._by_label("missing_translation", f"{lang}:{slug}", stored)
            out.append(self._group(row, member_rows, slug=slug))
        return out

    def _unhelpful_groups(self, since: dt.datetime, lang: str | None) -> list[GapGroup]:
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
        stored = self._stored("unhelpful_article")
        out = []
        for slug, member_rows in by_slug.items():
            row = self._by_label("unhelpful_article", slug, stored)
            out.append(self._group(row, member_rows, slug=slug))
        return out

    # -- persistence of group identity and status ------------------------------------------------

    def _stored(self, kind: str) -> list[dict]:
        return self.db.rows(select(gap_groups).where(gap_groups.c.kind == kind))

    def _create(self, kind: str, label: str, centroid: np.ndarray | None) -> dict:
        values = {"kind": kind, "status": "open", "label": label, "created_at": now(),
                  "centroid": centroid.astype(np.float32).tobytes() if centroid is not None else None}
        with self.db.engine.begin() as conn:
            new_id = conn.execute(insert(gap_groups).values(**values).returning(gap_groups.c.id)).scalar_one()
        row = {**values, "id": new_id, "resolved_slug": None, "status_at": None}
        return row

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

    def _by_label(self, kind: str, label: str, stored: list[dict]) -> dict:
        for row in stored:
            if row["label"] == label:
                return row
        row = self._create(kind, label, None)
        stored.append(row)
        return row

    def _group(self, row: dict, member_rows: list[dict], slug: str = "") -> GapGroup:
        stamps = [r["ts"] for r in member_rows]
        status = row["status"]
        status_at = as_utc(row.get("status_at"))
        if status == "resolved" and status_at and max(stamps) > status_at:
            status = "open"  # new queries after it was resolved: the fix did not cover them
            self.set_status(row["id"], "open")
        langs = Counter(r["lang"] for r in member_rows if r["lang"])
        samples = [q for q, _ in Counter(r["query"] for r in member_rows if r["query"]).most_common(5)]
        return GapGroup(
            id=row["id"], kind=row["kind"], status=status, size=len(member_rows),
            languages=dict(langs.most_common()), samples=samples, first_seen=min(stamps), last_seen=max(stamps),
            trend=_trend(stamps, now().date()), slug=slug, resolved_slug=row.get("resolved_slug") or "",
            members=[r["query"] for r in member_rows])

    def set_status(self, group_id: int, status: str, resolved_slug: str | None = None) -> None:
        """Mark a group open, resolved (with the article that now answers it) or dismissed."""
        if status not in ("open", "resolved", "dismissed"):
            raise ValueError(f"unknown status {status!r}")
        with self.db.engine.begin() as conn:
            conn.execute(update(gap_groups).where(gap_groups.c.id == group_id).values(
                status=status, status_at=now(), resolved_slug=resolved_slug if status == "resolved" else None))


def report_json(groups: list[GapGroup]) -> list[dict]:
    return [g.to_json() for g in groups]
