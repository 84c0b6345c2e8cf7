"""Log lines: one JSON object each on stderr (the app's and gunicorn's, access log included), request ids."""
from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from servers import BIN, free_port, get

from helpcenter.web.logs import JsonFormatter, TextFormatter, incoming_id


def record(message: str = "hello %s", args=("world",), **extra) -> logging.LogRecord:
    rec = logging.LogRecord("helpcenter.test", logging.INFO, __file__, 1, message, args, None)
    rec.__dict__.update(extra)
    return rec


def test_a_json_line_has_time_level_logger_message():
    line = JsonFormatter().format(record())
    data = json.loads(line)
    assert data["level"] == "INFO" and data["logger"] == "helpcenter.test" and data["message"] == "hello world"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["time"])
    assert "request_id" not in data  # outside a request


def test_a_traceback_and_any_text_stay_on_one_line():
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        import sys

        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", ("줄\n바꿈 \"quoted\"",), sys.exc_info())
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "failed: 줄\n바꿈 \"quoted\"" and "ValueError: bad" in data["exc_info"]


def test_extra_fields_are_added_but_never_replace_the_fixed_ones():
    data = json.loads(JsonFormatter().format(record(kb={"status": 200, "level": "forged"}, request_id="r1")))
    assert data["status"] == 200 and data["level"] == "INFO" and data["request_id"] == "r1"


@pytest.mark.parametrize("given, kept", [
    ("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", True),
    ("lb-01:42", True),
    ("a" * 128, True),
    ("a" * 129, False),
    ("two words", False),
    ("x\ny", False),
    ('"},{"level":"ERROR', False),
    ("", False),
    (None, False),
])
def test_an_incoming_request_id_is_kept_only_when_it_is_a_sane_token(given, kept):
    got = incoming_id(given)
    assert (got == given) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", got)


def test_every_response_carries_its_request_id(client):
    r = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a"})
    assert r.headers["X-Request-ID"] == "edge-7f3a"
    ids = {client.get(path).headers["X-Request-ID"] for path in ("/healthz", "/no/such/page", "/api/search")}
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)  # 200, 404 and 400 alike
    r = client.get("/healthz", headers={"X-Request-ID": "bad id;rm"})
    assert r.headers["X-Request-ID"] != "bad id;rm"


def test_lines_logged_while_handling_a_request_carry_its_id(app):
    with app.test_request_context("/healthz", headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        json_line = json.loads(JsonFormatter().format(record()))
        text_line = TextFormatter().format(record())
    assert json_line["request_id"] == "req-42" and text_line.endswith("[request_id=req-42]")


# --- under gunicorn --------------------------------------------------------------------------------

def serve(env: dict, tmp: Path, workers: int = 2) -> tuple[subprocess.Popen, int, Path, Path]:
    """The production command from another directory, its stdout and stderr each in a file."""
    port = free_port()
    out, err = tmp / f"gunicorn-{port}.out", tmp / f"gunicorn-{port}.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:helpcenter.serving", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "helpcenter.web:create_app()"], cwd=tmp, env={**os.environ, **env}, stdout=o, stderr=e,
            start_new_session=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if get(f"http://127.0.0.1:{port}/healthz", 2)[0] == 200:
                return proc, port, out, err
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("gunicorn did not come up: " + err.read_text(errors="replace")[-2000:])


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str, headers: dict) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.serving
def test_every_line_gunicorn_and_the_app_write_is_json_on_stderr(site, tmp_path):
    env, _, tmp = site
    proc, port, out, err = serve({**env, "KB_DATABASE_URL": f"sqlite:///{tmp / 'fresh.sqlite3'}"}, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        secret = "my-secret-phone-01012345678"
        assert fetch(f"{base}/api/search?q={secret}&lang=ko", {"X-Request-ID": "trace-123",
                                                                "Referer": f"{base}/ko/search?q={secret}"}) == 200
        assert fetch(f"{base}/ko/search?q=%ED%99%98%EC%A0%84", {}) == 200
        assert fetch(f"{base}/no/such/page?q={secret}", {}) == 404
    finally:
        stop(proc)
    assert out.read_bytes() == b""  # nothing on stdout
    lines = [json.loads(line) for line in err.read_text(encoding="utf-8").splitlines()]  # each one JSON
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "gunicorn.access"} <= loggers
    # INFO from the app's own modules gets through: the master created the schema, the workers opened the index
    infos = [line for line in lines if line["level"] == "INFO" and line["logger"].startswith("helpcenter.")]
    assert any("creating the database schema" in line["message"] for line in infos)
    assert any(line["message"].startswith("serving index") for line in infos)
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    search = next(line for line in access if line["path"] == "/api/search")
    assert search["request_id"] == "trace-123" and search["status"] == 200 and search["method"] == "GET"
    assert {"/ko/search", "/no/such/page"} <= {line["path"] for line in access}
    assert all(len(line.get("request_id", "")) >= 8 for line in access)
    # what the player typed, where they came from and who they are stay out of the access log
    assert secret not in err.read_text(encoding="utf-8")
    assert not any("127.0.0.1" in json.dumps(line) or "q=" in json.dumps(line) for line in access)
    # the metrics directory the server made for its workers is gone with it
    (made,) = [line["message"].split(" in ", 1)[1] for line in lines if line["message"].startswith("metrics of all")]
    assert not Path(made).exists()


@pytest.mark.serving
def test_text_logs_on_request(site, tmp_path):
    env, _, _ = site
    proc, port, out, err = serve({**env, "KB_LOG_FORMAT": "text"}, tmp_path, workers=1)
    try:
        fetch(f"http://127.0.0.1:{port}/api/search?q=password&lang=en", {"X-Request-ID": "plain-1"})
    finally:
        stop(proc)
    text = err.read_text(encoding="utf-8")
    assert out.read_bytes() == b"" and not text.lstrip().startswith("{")
    (access,) = [line for line in text.splitlines() if '"GET /api/search HTTP/1.1" 200' in line]
    assert access.endswith("plain-1") and "password" not in access
    assert "[INFO] helpcenter.search.live: serving index" in text
