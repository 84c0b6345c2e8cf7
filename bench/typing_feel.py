"""Typing feel: how closely the search box's suggestion list follows a player typing, with the server under load.

    .venv/bin/python bench/typing_feel.py [--per-lang 15] [--typists 8] [--ms 80] [--workers 2] [--seed 0]

Starts the production server (gunicorn -c python:helpcenter.serving, 2 workers, a free port, a fresh
database) over the built index var/index (`KB_INDEX_DIR`), building it first with `kb build` when it is
missing or does not open with the current code. A real browser (Playwright driving /usr/bin/chromium)
opens /<lang>/ and types a sample of the golden queries (eval/golden.jsonl, `--per-lang` of each of
en, ko, fa) into the search box, one character a keystroke, a keystroke every `--ms` ms on a fixed
schedule. Korean is typed a whole syllable a keystroke (inserted composed, as a Hangul keyboard commits
it; the IME's jamo-by-jamo composition states in between are not replayed). Meanwhile `--typists` other
players (processes) POST the same keystroke streams of the whole golden set to /api/suggest at the same
pace, each query settled after it, each player its own address (X-Forwarded-For, KB_PROXY_HOPS=1).

For every keystroke the page records the `input` event's time; suggest.js sets data-painted="<query>"
on the list whenever it paints an answer, and a MutationObserver plus requestAnimationFrame timestamps
the frame that shows it. Printed, per language and overall:
- reflected: the share of keystrokes whose own text the list showed the answer for;
- keystroke -> painted p50/p95/max: from the keystroke to the first frame showing the answer for that
  text or a later one (a keystroke never covered counts as missed);
- stale paints: an answer to an older prefix painted after a newer one's (must be 0).
Goals: reflected >= 90 %, p95 <= 60 ms, 0 stale.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")  # `kb build`, if it has to run

import argparse
import http.client
import json
import multiprocessing
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import pct, start_server, stop  # noqa: E402  (bench/load.py: the production server on a free port)

from helpcenter.search.evaluate import load_golden  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LANGS = ("en", "ko", "fa")

# Installed in every page before its scripts: keystroke times and the frame of each paint of the list.
RECORDER = """
window.__kb = {keys: [], paints: []};
performance.setResourceTimingBufferSize(100000);
document.addEventListener("input", function (e) {
  if (e.target.id === "kb-q") window.__kb.keys.push([performance.now(), e.target.value]);
}, true);
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("kb-suggest-list");
  if (!list) return;
  new MutationObserver(function () {
    var q = list.getAttribute("data-painted"), t = performance.now();
    requestAnimationFrame(function (frame) { window.__kb.paints.push([t, Math.max(t, frame), q]); });
  }).observe(list, {attributes: true, attributeFilter: ["data-painted"]});
});
"""


def shown_query(value: str) -> str:
    """The text suggest.js asks for (its `query()`): no leading space, a trailing run kept as one space."""
    value = value.lstrip()
    stripped = value.rstrip()
    return stripped + " " if stripped != value else value


# --- the other players -------------------------------------------------------------------------------------

def typist(port: int, n: int, queries: list[tuple[str, str]], ms: float, done, out) -> None:
    """One player: types `queries` (shuffled) at `ms` a keystroke, POSTing every prefix to /api/suggest
    and the query settled after it, until `done` is set. Sends (latencies ms, errors) to `out`."""
    rng = random.Random(n)
    order = queries[:]
    rng.shuffle(order)
    player = f"10.9.{n // 250}.{n % 250 + 1}"
    latencies, errors = [], 0

    def post(body: dict) -> None:
        nonlocal errors
        t = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/api/suggest", json.dumps(body).encode(),
                         {"Content-Type": "application/json", "X-Forwarded-For": player})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status != 200:
                errors += 1
        except OSError:
            errors += 1
        latencies.append((time.perf_counter() - t) * 1000)

    i = 0
    while not done.is_set():
        q, lang = order[i % len(order)]
        i += 1
        start = time.perf_counter()
        for k in range(1, len(q) + 1):
            if done.is_set():
                break
            if q[:k].strip():
                post({"q": q[:k], "lang": lang, "limit": 5})
            time.sleep(max(0.0, start + k * ms / 1000 - time.perf_counter()))
        post({"q": q, "lang": lang, "limit": 5, "settled": True})
        done.wait(rng.uniform(0.5, 1.5))  # reads the suggestions, then the next question
    out.put((latencies, errors))


# --- the measured player ------------------------------------------------------------------------------------

def type_query(page, q: str, ms: float) -> dict:
    """Types `q` into the cleared box on its schedule; returns the page's record of keystrokes and paints."""
    page.fill("#kb-q", "")
    page.wait_for_timeout(300)  # whatever was out for the last query has landed
    page.evaluate("window.__kb.keys = []; window.__kb.paints = []; performance.clearResourceTimings()")
    start = time.perf_counter()
    for k, ch in enumerate(q):
        page.keyboard.type(ch)
        time.sleep(max(0.0, start + (k + 1) * ms / 1000 - time.perf_counter()))
    page.wait_for_timeout(1000)  # the answers to the last keystrokes
    record = page.evaluate("window.__kb")
    record["requests"] = page.evaluate(  # each suggest request's time, from sending to its last byte
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/suggest'))"
        ".map(e => e.responseEnd - e.startTime)")
    return record


def score(record: dict) -> tuple[list[float], int, int, int]:
    """(latency ms of each covered keystroke, keystrokes, reflected keystrokes, stale paints)."""
    keys = [(t, shown_query(v)) for t, v in record["keys"]]
    index: dict[str, int] = {}
    for k, (_, q) in enumerate(keys):
        index[q] = k  # the last keystroke with that text (a second space changes nothing)
    if keys:
        index.setdefault(keys[-1][1].strip(), len(keys) - 1)  # a settled answer: the whole query, trimmed
    paints = [(frame, index[q]) for _, frame, q in record["paints"] if q and q in index]
    painted = {k for _, k in paints}
    stale, newest = 0, -1
    for _, k in paints:
        if k < newest:
            stale += 1
        newest = max(newest, k)
    latencies = []
    for k, (t, _) in enumerate(keys):
        first = next((frame for frame, j in paints if j >= k and frame >= t), None)
        if first is not None:
            latencies.append(first - t)
    return latencies, len(keys), sum(1 for k in range(len(keys)) if k in painted), stale


def line(name: str, latencies: list[float], keys: int, reflected: int, stale: int) -> str:
    missed = keys - len(latencies)
    return (f"  {name:8s} keystrokes={keys:5d}  reflected={100 * reflected / max(1, keys):5.1f} %  "
            f"keystroke->painted p50={statistics.median(latencies) if latencies else float('nan'):5.1f} ms "
            f"p95={pct(latencies, 95):5.1f} ms max={max(latencies, default=float('nan')):6.1f} ms  "
            f"never painted={missed}  stale paints={stale}")


def ensure_index(index_dir: Path) -> None:
    """Build var/index when it is missing or does not open with the current code."""
    env = {**os.environ, "KB_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    kb = str(Path(sys.executable).parent / "kb")
    check = subprocess.run([kb, "search", "withdrawal", "--limit", "1"], cwd=ROOT, env=env, capture_output=True,
                           text=True)
    if check.returncode == 0:
        return
    print(f"index {index_dir} does not open ({(check.stderr or check.stdout).strip().splitlines()[-1:]}); "
          f"building it with `kb build` …", flush=True)
    subprocess.run([kb, "build", "--index", str(index_dir)], cwd=ROOT, env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-lang", type=int, default=15, help="golden queries typed in the browser per language")
    ap.add_argument("--typists", type=int, default=8, help="other players loading the server meanwhile")
    ap.add_argument("--ms", type=float, default=80.0, help="time between keystrokes")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--golden", default=str(ROOT / "eval" / "golden.jsonl"))
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    index_dir = Path(os.environ.get("KB_INDEX_DIR", ROOT / "var" / "index"))
    ensure_index(index_dir)
    golden = load_golden(args.golden)
    rng = random.Random(args.seed)
    sample = {lang: rng.sample([g.q for g in golden if g.lang == lang], args.per_lang) for lang in LANGS}
    streams = [(g.q, g.lang) for g in golden]
    print(f"typing {sum(map(len, sample.values()))} golden queries ({args.per_lang} per language, "
          f"{sum(len(q) for qs in sample.values() for q in qs)} keystrokes, one every {args.ms:.0f} ms; Korean a "
          f"composed syllable a keystroke) into the search box in Chromium, while {args.typists} other typists POST "
          f"the golden keystroke streams to /api/suggest at the same pace; gunicorn, {args.workers} workers, "
          f"{os.cpu_count()} cores shared by everything")

    tmp = tempfile.mkdtemp(prefix="kb-typing-")
    server, port = start_server(args.workers, tmp)
    base = f"http://127.0.0.1:{port}"
    ctx = multiprocessing.get_context("fork")  # before Playwright starts its threads
    results, done = ctx.Queue(), ctx.Event()
    players = [ctx.Process(target=typist, args=(port, n, streams, args.ms, done, results), daemon=True)
               for n in range(args.typists)]
    load: list[tuple[list[float], int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.set_default_timeout(15_000)
            # warm up: the browser, each worker's first requests, the fonts
            for lang in LANGS:
                page.goto(f"{base}/{lang}/")
                page.locator("#kb-q").click()
                type_query(page, sample[lang][0][:4], args.ms)
            for pl in players:
                pl.start()
            time.sleep(1.0)
            totals: dict[str, list] = {}
            asked: dict[str, list[float]] = {}
            load_start = time.perf_counter()
            for lang in LANGS:
                page.goto(f"{base}/{lang}/")
                page.locator("#kb-q").click()
                records = [type_query(page, q, args.ms) for q in sample[lang]]
                runs = [score(r) for r in records]
                totals[lang] = [sum((r[0] for r in runs), []), *(sum(r[i] for r in runs) for i in (1, 2, 3))]
                asked[lang] = [x for r in records for x in r["requests"]]
            done.set()
            load = [results.get(timeout=60) for _ in players]
            load_seconds = time.perf_counter() - load_start
            browser.close()
    finally:
        done.set()
        for pl in players:
            pl.join(timeout=30)
            if pl.is_alive():
                pl.terminate()
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)

    print("the measured player (Chromium):")
    for lang in LANGS:
        print(line(lang, *totals[lang]))
    everything = [sum((totals[lang][0] for lang in LANGS), []),
                  *(sum(totals[lang][i] for lang in LANGS) for i in (1, 2, 3))]
    print(line("all", *everything))
    lat, keys, reflected, stale = everything
    print(f"  goals: reflected >= 90 % ({'met' if reflected >= 0.9 * keys else 'NOT met'}), "
          f"p95 <= 60 ms ({'met' if lat and pct(lat, 95) <= 60 else 'NOT met'}), "
          f"0 stale ({'met' if stale == 0 else 'NOT met'})")
    for lang in [*LANGS, "all"]:
        times = asked[lang] if lang != "all" else [x for v in asked.values() for x in v]
        typed = keys if lang == "all" else totals[lang][1]
        print(f"  {lang:8s} its suggest requests: n={len(times)} ({len(times) / max(1, typed):.2f} a keystroke), "
              f"sent to answered p50={pct(times, 50):.1f} ms p95={pct(times, 95):.1f} ms")
    requests = [x for lat, _ in load for x in lat]
    print(f"the {args.typists} other typists: {len(requests)} requests in {load_seconds:.0f} s "
          f"({len(requests) / load_seconds:.0f}/s), p50={pct(requests, 50):.1f} ms p95={pct(requests, 95):.1f} ms "
          f"max={max(requests, default=float('nan')):.0f} ms, errors={sum(e for _, e in load)}")


if __name__ == "__main__":
    main()
