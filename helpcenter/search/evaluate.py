"""Golden-set evaluation: Success@1/@3, MRR@10 and no-answer accuracy per language; as-you-type replay."""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from helpcenter import languages
from helpcenter.content.errors import KBError
from helpcenter.search.plan import Mode
from helpcenter.search.searcher import Searcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldenQuery:
    q: str
    lang: str
    expected: tuple[str, ...]  # empty: nothing in the knowledge base answers it


def read_jsonl(path: str | Path, make, what: str) -> list:
    """Build one record per non-blank JSON line with `make(dict)`; a bad line names file, line and `what`."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(make(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise KBError(f"{path}:{n}: not a {what} line ({exc})") from None
    return out


def load_golden(path: str | Path) -> list[GoldenQuery]:
    """Read a JSON-lines golden set: {"q": …, "lang": …, "expected": [slug, …]} per line."""
    return read_jsonl(path, lambda d: GoldenQuery(d["q"], d["lang"], tuple(d.get("expected") or ())),
                      "golden query")


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


# --- as-you-type ------------------------------------------------------------------------------------

PREFIX_BUCKETS = ((1, 1), (2, 2), (3, 4), (5, 8), (9, 16), (17, 10**6))


def prefix_states(q: str, lang: str) -> list[str]:
    """What the search box shows after each keystroke while `q` is typed.

    Character by character; Korean also shows the input method's half-composed syllables (환전:
    ㅎ, 호, 화, 환, 홙, 환저, 환전), so a Korean state is one keystroke.
    """
    return languages.get(lang).typing_states(q)


def bucket_of(n: int) -> str:
    lo, hi = next(b for b in PREFIX_BUCKETS if b[0] <= n <= b[1])
    return str(lo) if lo == hi else f"{lo}+" if hi >= 10**6 else f"{lo}-{hi}"


@dataclass(frozen=True)
class SuggestCase:
    q: str
    lang: str
    expected: tuple[str, ...]
    kind: str  # layout, jamo, choseong, variant, typo, prefix, slang


def load_cases(path: str | Path) -> list[SuggestCase]:
    """Read `eval/suggest_cases.jsonl`: {"q", "lang", "expected": [slug, …], "kind"} per line."""
    return read_jsonl(path, lambda d: SuggestCase(d["q"], d["lang"], tuple(d["expected"]), d["kind"]),
                      "suggest case")


def evaluate_prefixes(suggester, golden: list[GoldenQuery], k: int = 3, failures: list | None = None,
                      fusion: str | None = None) -> dict:
    """Replay every prefix of every answerable golden query through `suggester.suggest(q, lang, limit,
    settled, fusion=fusion)` (a `Searcher`, or anything answering like it), the last one settled.

    Returns per language: Success@k by prefix length in characters (buckets), the mean number of
    keystrokes before an expected article first shows in the top k (a query where it never does counts
    all its keystrokes), the mean share of the query typed by then, how many never get there, and the
    latency percentiles of the calls.
    """
    per: dict[str, dict] = {}
    latencies: list[float] = []
    for g in golden:
        if not g.expected:
            continue
        row = per.setdefault(g.lang, {"queries": 0, "states": 0, "buckets": {}, "keys": 0.0, "share": 0.0,
                                      "never": 0})
        states = prefix_states(g.q, g.lang)
        first = None
        for i, state in enumerate(states, start=1):
            if not state.strip():
                continue
            t = time.perf_counter()
            # the whole query typed, the reader pauses: the widget asks again with `settled`
            resp = suggester.suggest(state, g.lang, limit=max(k, 5), settled=i == len(states), fusion=fusion)
            latencies.append(1000 * (time.perf_counter() - t))
            ok = any(h.slug in g.expected for h in resp.hits[:k])
            b = row["buckets"].setdefault(bucket_of(len(state)), [0, 0])
            b[0] += ok
            b[1] += 1
            row["states"] += 1
            if ok and first is None:
                first = i
        row["queries"] += 1
        row["keys"] += first or len(states)
        row["share"] += (first or len(states)) / len(states)
        row["never"] += first is None
        if failures is not None and first is None:
            failures.append(g)
    out: dict = {}
    for lang, row in sorted(per.items()):
        n = max(row["queries"], 1)
        out[lang] = {
            "queries": row["queries"], "states": row["states"],
            "success@k_by_length": {name: row["buckets"][name][0] / row["buckets"][name][1]
                                    for name in (bucket_of(lo) for lo, _ in PREFIX_BUCKETS) if name in row["buckets"]},
            "states_by_length": {name: v[1] for name, v in row["buckets"].items()},
            "success@k_all": sum(v[0] for v in row["buckets"].values()) / max(row["states"], 1),
            "keystrokes_to_top": row["keys"] / n, "share_typed": row["share"] / n, "never": row["never"],
        }
    latencies.sort()
    if latencies:
        out["latency_ms"] = {"p50": latencies[len(latencies) // 2],
                             "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
                             "calls": len(latencies)}
    return out


def evaluate_cases(suggester, cases: list[SuggestCase], k: int = 3, failures: list | None = None,
                   fusion: str | None = None) -> dict:
    """Success@k of `suggester.suggest` (with `fusion`) on the special cases, per language and per kind."""
    out: dict[str, dict[str, list[int]]] = {}
    for c in cases:
        resp = suggester.suggest(c.q, c.lang, limit=max(k, 5), fusion=fusion)
        slugs = [h.slug for h in resp.hits[:k]]
        ok = any(s in c.expected for s in slugs)
        for key in ("all", c.kind):
            cell = out.setdefault(c.lang, {}).setdefault(key, [0, 0])
            cell[0] += ok
            cell[1] += 1
        if failures is not None and not ok:
            failures.append((c, slugs))
    return {lang: {kind: {"n": v[1], f"success@{k}": v[0] / v[1]} for kind, v in sorted(kinds.items())}
            for lang, kinds in sorted(out.items())}


# --- halves and direct answers -------------------------------------------------------------------------

def split_of(q: str, lang: str) -> str:
    """"tune" or "test": a query's half, fixed by a hash of its text (what is tuned on one half is
    reported on the other)."""
    return "tune" if hashlib.sha1(f"{lang}\0{q}".encode()).digest()[0] % 2 == 0 else "test"


@dataclass(frozen=True)
class ExpectedAnswer:
    q: str
    lang: str
    slug: str
    sections: tuple[str, ...]  # anchors of the sections that answer it (an answer from any of them is right)


def load_answers(path: str | Path) -> dict[tuple[str, str], ExpectedAnswer]:
    """`eval/answers.jsonl`: for each answerable golden query, the sections that answer it."""
    rows = read_jsonl(path, lambda d: ExpectedAnswer(d["q"], d["lang"], d["slug"], tuple(d["sections"])),
                      "expected answer")
    return {(a.q, a.lang): a for a in rows}


def evaluate_answers(searcher: Searcher, golden: list[GoldenQuery], expected: dict[tuple[str, str], ExpectedAnswer],
                     split: str | None = None, failures: list | None = None) -> dict[str, dict[str, float]]:
    """Direct answers per language: coverage (the share of answerable queries given an answer),
    precision (the share of answers from the right article's right section; an answer to an
    out-of-domain query is wrong), over the golden queries of `split` ("tune", "test" or all)."""
    per: dict[str, dict[str, int]] = {}
    for g in golden:
        if split and split_of(g.q, g.lang) != split:
            continue
        row = per.setdefault(g.lang, {"answerable": 0, "ood": 0, "given": 0, "right": 0})
        resp = searcher.search(g.q, g.lang, limit=10)
        a = resp.answer
        row["answerable" if g.expected else "ood"] += 1
        if a is None:
            continue
        row["given"] += 1
        want = expected.get((g.q, g.lang))
        right = bool(g.expected) and want is not None and a.slug == want.slug and a.anchor in want.sections
        row["right"] += right
        if failures is not None and not right:
            failures.append((g, a.slug, a.anchor, want.sections if want else ()))
    out = {}
    for lang, row in sorted(per.items()):
        out[lang] = {"answerable": row["answerable"], "ood": row["ood"], "answers": row["given"],
                     "right": row["right"], "coverage": row["given"] / max(1, row["answerable"]),
                     "precision": row["right"] / row["given"] if row["given"] else 1.0}
    return out
