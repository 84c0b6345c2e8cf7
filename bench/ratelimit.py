"""What the per-client rate limit costs a request, in-process (no HTTP).

    .venv/bin/python bench/ratelimit.py [--requests 3000] [--rounds 3]

Sends the same /api/suggest request through the app (Flask test client, KB_PROXY_HOPS=1) with
KB_RATE_LIMIT off and at its default, from one client address and from a new address every request
(players behind a load balancer), and prints the median process CPU per request (all threads) over interleaved rounds.
Flask-Limiter, which the app used before, measured here 0.6 ms more a request with one client and 3.1 ms
more with thousands under the default limits; the limiter of web/ratelimit.py should add next to nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import os, sys, time
from helpcenter.web import create_app
from helpcenter.content.settings import SETTINGS
app = create_app({{"KB_RATE_LIMIT": {limit!r}, "KB_PROXY_HOPS": "1", "KB_QUERY_CACHE": "",
                  "KB_DATABASE_URL": "sqlite://", "TESTING": True}})
client = app.test_client()
def address(i):
    return "10.0.0.1" if {one} else f"10.{{i // 62500 % 250}}.{{i // 250 % 250}}.{{i % 250}}"
for i in range(300):
    client.get("/api/suggest?q=withdrawal&lang=en", headers={{"X-Forwarded-For": address(10**6 + i)}})
start = time.process_time()
for i in range({n}):
    r = client.get("/api/suggest?q=withdrawal&lang=en", headers={{"X-Forwarded-For": address(i)}})
    assert r.status_code == 200, r.status_code
print(1000 * (time.process_time() - start) / {n})
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    default = "20/second;600/minute"
    configs = (("off", "off", False), ("100000/second, one client", "100000/second", True),
               ("default, a new client each request", default, False))
    runs: dict[str, list[float]] = {label: [] for label, _, _ in configs}
    for _ in range(args.rounds):  # interleaved: this machine's speed drifts from minute to minute
        for label, limit, one in configs:
            code = CHILD.format(root=str(ROOT), limit=limit, one=one, n=args.requests)
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                 env={**os.environ, "OMP_NUM_THREADS": "1"})
            if out.returncode:
                raise SystemExit(out.stderr[-2000:])
            runs[label].append(float(out.stdout.split()[-1]))
    for label, ms in runs.items():
        print(f"KB_RATE_LIMIT {label:36s} median {statistics.median(ms):.3f} ms CPU a request "
              f"(runs: {', '.join(f'{m:.2f}' for m in ms)})")

if __name__ == "__main__":
    main()
