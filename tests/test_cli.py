import json
import re

import pytest
from click.testing import CliRunner

from helpcenter.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_build_prints_counts_per_language(runner, content_dir, tmp_path):
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "en 4, ko 2, fa 2 articles" in result.output
    assert (tmp_path / "CURRENT").exists()


def test_build_stops_on_invalid_file_naming_file_and_rule(runner, tmp_path):
    (tmp_path / "c" / "en").mkdir(parents=True)
    (tmp_path / "c" / "en" / "ok.md").write_text("---\ntitle: A\ncategory: b\n---\nbody\n")
    (tmp_path / "c" / "en" / "bad.md").write_text("---\ntitle: A\n---\nbody\n")
    result = runner.invoke(main, ["build", "--content", str(tmp_path / "c"), "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert "bad.md" in result.output and "'category'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "i" / "CURRENT").exists()

    result = runner.invoke(main, ["build", "--skip-invalid", "--content", str(tmp_path / "c"),
                                  "--index", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "en 1, ko 0, fa 0" in result.output


def test_search_json_is_the_api_shape(runner, built_index, monkeypatch):
    monkeypatch.setenv("KB_INDEX_DIR", str(built_index))
    result = runner.invoke(main, ["search", "비번 까먹었어요", "--lang", "ko", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lang"] == "ko" and data["results"][0]["slug"] == "reset-password"


def test_search_text_labels_untranslated_results(runner, built_index, monkeypatch):
    monkeypatch.setenv("KB_INDEX_DIR", str(built_index))
    result = runner.invoke(main, ["search", "usdt wrong network", "--lang", "fa"])
    assert result.exit_code == 0, result.output
    assert "[en, not translated]" in result.output


def test_search_without_index_says_to_build(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path))
    result = runner.invoke(main, ["search", "hello"])
    assert result.exit_code == 1 and "kb build" in result.output


def test_unknown_encoder_is_a_clean_error(runner, content_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KB_ENCODER", "bogus")
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--index", str(tmp_path)])
    assert result.exit_code == 1 and "unknown encoder" in result.output and "Traceback" not in result.output


def test_eval_prints_metrics_per_language_for_each_mode(runner, built_index, monkeypatch, tmp_path):
    monkeypatch.setenv("KB_INDEX_DIR", str(built_index))
    golden = tmp_path / "g.jsonl"
    golden.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"q": "환전 언제", "lang": "ko", "expected": ["withdrawal-times"]},
        {"q": "رمزمو یادم رفته", "lang": "fa", "expected": ["reset-password"]},
        {"q": "forgot pw", "lang": "en", "expected": ["reset-password"]},
        {"q": "lasagna recipe", "lang": "en", "expected": []},
    ]), encoding="utf-8")
    result = runner.invoke(main, ["eval", "--golden", str(golden), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"hybrid", "keyword", "vector"}
    assert data["hybrid"]["ko"]["success@3"] == 1.0
    assert data["hybrid"]["en"]["queries"] == 1 and data["hybrid"]["en"]["ood"] == 1
    text = runner.invoke(main, ["eval", "--golden", str(golden)]).output
    assert "success@3" in text and "hyb/key/vec" in text
    from helpcenter.search.evaluate import split_of

    halves = {}
    for half in ("tune", "test"):
        out = json.loads(runner.invoke(main, ["eval", "--golden", str(golden), "--half", half, "--json"]).output)
        halves[half] = sum(row["queries"] + row["ood"] for lang, row in out["hybrid"].items() if lang != "all")
    assert halves == {h: sum(split_of(q, lang) == h for q, lang in [
        ("환전 언제", "ko"), ("رمزمو یادم رفته", "fa"), ("forgot pw", "en"), ("lasagna recipe", "en")])
        for h in ("tune", "test")}
    assert runner.invoke(main, ["eval", "--golden", str(golden), "--half", "both"]).exit_code == 2
    both = runner.invoke(main, ["eval", "--golden", str(golden), "--half", "test", "--answers", str(golden)])
    assert both.exit_code == 2 and "--half does not apply to --answers" in both.output


def test_kb_import_zendesk_writes_articles_and_reports(tmp_path):
    from pathlib import Path

    from helpcenter.content.articles import load_articles

    export = Path(__file__).parent / "zendesk" / "export"
    out = tmp_path / "content"
    result = CliRunner().invoke(main, ["import", "zendesk", str(export), "--content", str(out)])
    assert result.exit_code == 0, result.output
    loaded = load_articles(out)
    assert loaded.skipped == () and loaded.counts() == {"en": 7, "ko": 3, "fa": 3}
    assert "image" in result.output.lower()  # what the operator must copy by hand is listed
    missing = CliRunner().invoke(main, ["import", "zendesk", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_build_if_changed_reuses_the_live_version_until_the_content_changes(runner, content_dir, tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    args = ["build", "--content", str(content), "--index", str(tmp_path / "index"), "--if-changed"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0 and "built index" in first.output, first.output
    live = (tmp_path / "index" / "CURRENT").read_text()
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and f"index {live} is up to date" in again.output
    assert (tmp_path / "index" / "CURRENT").read_text() == live
    (content / "en" / "one-liner.md").write_text((content / "en" / "one-liner.md").read_text() + "\nUpdated.\n")
    changed = runner.invoke(main, args)
    assert changed.exit_code == 0 and "built index" in changed.output
    assert (tmp_path / "index" / "CURRENT").read_text() != live


def test_build_if_changed_builds_again_when_the_packaged_no_answer_model_changes(runner, content_dir, tmp_path,
                                                                                 monkeypatch):
    import json
    import shutil

    from helpcenter.search import answer

    args = ["build", "--content", str(content_dir), "--index", str(tmp_path / "index"), "--if-changed"]
    assert "built index" in runner.invoke(main, args).output
    live = (tmp_path / "index" / "CURRENT").read_text()
    models = tmp_path / "answer_models"
    shutil.copytree(answer.PACKAGED, models)
    path = next(models.glob("*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "source": data["source"] + " (refitted)"}), encoding="utf-8")
    monkeypatch.setattr(answer, "PACKAGED", models)  # a newer release of the code, with a refitted model
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "built index" in again.output, again.output
    assert (tmp_path / "index" / "CURRENT").read_text() != live


def test_build_shows_progress_as_plain_lines_when_not_on_a_terminal(runner, content_dir, tmp_path):
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # no cached embeddings in a new index directory: every passage goes through the encoder
    assert re.search(r"^embedding passages: (\d+)/\1 \(100%\), \d+\.\ds$", result.output, re.M), result.output
    assert re.search(r"^analyzing articles: 8/8 \(100%\)", result.output, re.M)
    assert "\r" not in result.output and "\x1b" not in result.output


def test_build_keeps_kb_keep_versions(runner, content_dir, tmp_path, monkeypatch):
    from helpcenter.index.versions import built_versions

    monkeypatch.setenv("KB_KEEP_VERSIONS", "1")
    for _ in range(2):
        assert runner.invoke(main, ["build", "--content", str(content_dir), "--index", str(tmp_path)]).exit_code == 0
    assert built_versions(tmp_path) == [(tmp_path / "CURRENT").read_text()]


@pytest.mark.slow
def test_build_draws_a_progress_bar_with_the_time_left_on_a_terminal(content_dir, tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    from pathlib import Path

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([str(Path(sys.executable).parent / "kb"), "build", "--content", str(content_dir),
                             "--index", str(tmp_path)], stdin=follower, stdout=follower, stderr=follower,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, close_fds=True)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=120) == 0, out.decode(errors="replace")
    text = out.decode("utf-8", errors="replace")
    assert "\r" in text  # redrawn in place
    bar = [line for line in text.replace("\r", "\n").splitlines() if line.startswith("embedding passages:")]
    assert any(re.search(r"\|\s*\d+/\d+ \[\d\d:\d\d<\d\d:\d\d, .*passages/s\]", line) for line in bar), bar
