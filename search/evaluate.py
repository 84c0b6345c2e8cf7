"""Golden-set evaluation: Success@1/@3, MRR@10 and no-answer accuracy per language."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from search.engine import Mode, Searcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldenQuery:
    q: str
    lang: str
    expected: tuple[str, ...]  # empty: nothing in the knowledge base answers it


def load_golden(path: str | Path) -> list[GoldenQuery]:
    """Read a JSON-lines golden set: {"q": …, "lang": …, "expected": [slug, …]} per line."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(GoldenQuery(d["q"], d["lang"], tuple(d.get("expected") or ())))
        except (ValueError, KeyError, TypeError) as exc:
            raise KBError(f"{path}:{n}: not a golden query line ({exc})") from None
    return out


@dataclass
class Scores:
    n: int = 0  # answerable queries
    s1: float = 0.0
    s3: float = 0.0
    mrr: float = 0.0
    na_total: int = 0  # all queries judged for answered/unanswered
    na_correct: int = 0
    ood: int = 0

    def add(self, g: GoldenQuery, slugs: list[str], answered: bool) -> None:
        self.na_total += 1
        self.na_correct += int(answered == bool(g.expected))
        if not g.expected:
            self.ood += 1
            return
        self.n += 1
        rank = next((i for i, s in enumerate(slugs[:10], start=1) if s in g.expected), None)
        self.s1 += rank == 1
        self.s3 += rank is not None and rank <= 3
        self.mrr += 1.0 / rank if rank else 0.0

    def row(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {"queries": self.n, "ood": self.ood, "success@1": self.s1 / n, "success@3": self.s3 / n,
                "mrr@10": self.mrr / n, "no_answer_acc": self.na_correct / max(self.na_total, 1)}


def evaluate(searcher: Searcher, golden: list[GoldenQuery], mode: Mode = "hybrid",
             fusion=None, failures: list | None = None) -> dict[str, dict[str, float]]:
    """Run every golden query; returns metrics per language plus "all" and the mean latency in ms."""
    per: dict[str, Scores] = {}
    total = Scores()
    elapsed = 0.0
    for g in golden:
        t = time.perf_counter()
        resp = searcher.search(g.q, g.lang, limit=10, mode=mode, fusion=fusion)
        elapsed += time.perf_counter() - t
        slugs = [h.slug for h in resp.hits]
        per.setdefault(g.lang, Scores()).add(g, slugs, resp.answered)
        total.add(g, slugs, resp.answered)
        if failures is not None:
            ok_rank = not g.expected or any(s in g.expected for s in slugs[:3])
            if not ok_rank or resp.answered != bool(g.expected):
                failures.append((g, slugs[:3], resp.answered, resp.confidence))
    out = {lang: s.row() for lang, s in sorted(per.items())}
    out["all"] = total.row()
    out["all"]["ms_per_query"] = 1000 * elapsed / max(len(golden), 1)
    return out
