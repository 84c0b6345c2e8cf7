"""Every golden typing-stream response and the eval figures, to show that a change kept them.

    .venv/bin/python bench/snapshot.py OUT.tsv [--compare OLD.tsv]

Replays, through the HTTP API of an app over the built index (`KB_INDEX_DIR`, default var/index),
every keystroke state of every golden query to /api/suggest (Korean through the input method's
half-composed syllables, the last state settled), every character prefix as bench/load.py sends them,
the whole query to /api/search, and the as-you-type special cases; then `kb eval`'s figures in each
mode and with RRF fusion. Writes one line per response and prints a digest per part; with --compare,
says whether every line is the same as in OLD and shows the first that differs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import urllib.parse

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["KB_QUERY_CACHE"] = ""

from helpcenter.search.evaluate import evaluate, load_cases, load_golden, prefix_states  # noqa: E402
from helpcenter.web import create_app  # noqa: E402
from helpcenter.web.services import close_app, get_searcher  # noqa: E402


def responses(golden_path: str, cases_path: str) -> dict[str, list[str]]:
    db = os.path.join(tempfile.mkdtemp(), "kb.sqlite3")
    app = create_app({"KB_DATABASE_URL": f"sqlite:///{db}", "KB_RATE_LIMIT": "off", "KB_ENCODER_BUDGET": "off",
                      "TESTING": True})
    client = app.test_client()
    golden = load_golden(golden_path)
    parts: dict[str, list[str]] = {"stream": [], "cases": [], "eval": []}

    def suggest(params: dict) -> None:
        r = client.get("/api/suggest?" + urllib.parse.urlencode(params))
        parts["stream"].append(f"suggest {json.dumps(params, ensure_ascii=False)} {r.status_code} {r.get_data(as_text=True).rstrip()}")

    for g in golden:
        states = prefix_states(g.q, g.lang)
        for i, state in enumerate(states, start=1):
            if state.strip():
                suggest({"q": state, "lang": g.lang, **({"settled": "1"} if i == len(states) else {})})
        for i in range(1, len(g.q) + 1):
            if g.q[:i].strip():
                suggest({"q": g.q[:i], "lang": g.lang})
        r = client.get("/api/search?" + urllib.parse.urlencode({"q": g.q, "lang": g.lang}))
        parts["stream"].append(f"search {g.q} {g.lang} {r.status_code} {r.get_data(as_text=True).rstrip()}")
    for c in load_cases(cases_path):
        r = client.get("/api/suggest?" + urllib.parse.urlencode({"q": c.q, "lang": c.lang}))
        parts["cases"].append(f"case {c.q} {c.lang} {r.status_code} {r.get_data(as_text=True).rstrip()}")
    with app.app_context():
        searcher = get_searcher()
        for name, mode, fusion in (("hybrid", "hybrid", None), ("keyword", "keyword", None),
                                   ("vector", "vector", None), ("rrf", "hybrid", "rrf")):
            res = evaluate(searcher, golden, mode, fusion)
            res["all"].pop("ms_per_query", None)
            parts["eval"].append(f"{name} {json.dumps(res, sort_keys=True)}")
    close_app(app)
    return parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--compare", help="a file an earlier run wrote")
    ap.add_argument("--golden", default="eval/golden.jsonl")
    ap.add_argument("--cases", default="eval/suggest_cases.jsonl")
    args = ap.parse_args()
    parts = responses(args.golden, args.cases)
    lines = [f"{name}\t{line}" for name, rows in parts.items() for line in rows]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    for name, rows in parts.items():
        print(f"{name:7} {len(rows):6d} lines  sha256 {hashlib.sha256(chr(10).join(rows).encode()).hexdigest()[:16]}")
    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            old = f.read().splitlines()
        if old == lines:
            print(f"identical to {args.compare}: {len(lines)} lines")
            return
        first = next((i for i, (a, b) in enumerate(zip(old, lines)) if a != b), min(len(old), len(lines)))
        print(f"DIFFERENT from {args.compare} ({len(old)} vs {len(lines)} lines); first difference at line {first + 1}:")
        print("  old:", old[first][:300] if first < len(old) else "(none)")
        print("  new:", lines[first][:300] if first < len(lines) else "(none)")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
