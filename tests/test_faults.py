"""Faults: a stopped database, a full disk, a broken index pointer lose nothing and take nothing down."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpcenter.index.versions import current_version
from helpcenter.web import create_app
from helpcenter.web.services import close_app


def make_app(index_dir, database_url, **settings):
    return create_app({"KB_INDEX_DIR": str(index_dir), "KB_DATABASE_URL": database_url, "KB_RATE_LIMIT": "off",
                       "TESTING": True, **settings})


def count(app, table) -> int:
    return app.extensions["kb_db"].count(table)


def csrf(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def traffic(client, n: int, tag: str) -> None:
    for i in range(n):
        assert client.get("/api/search", query_string={"q": f"withdrawal {tag} {i}", "lang": "en"}).status_code == 200
        assert client.post("/api/events", json={"type": "suggestion_shown", "query": f"{tag} {i}"}).status_code == 202


TICKET = {"category": "withdrawals", "subject": "출금 지연 문의", "description": "어제 신청한 출금이 아직 안 들어왔어요",
          "email": "player@example.com"}


# --- the database ------------------------------------------------------------------------------------

def pg_ctl(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *(["-m", "fast"]
                    if action == "stop" else [])], check=True, capture_output=True, timeout=60)


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_stopped_during_traffic_loses_no_row_and_no_ticket(built_index, postgres_url):
    from conftest import ensure_postgres

    app = make_app(built_index, postgres_url)
    client = app.test_client()
    start = {table: count(app, table) for table in ("queries", "events", "tickets")}  # the session's database
    try:
        traffic(client, 10, "before")
        app.extensions["kb_writer"].flush()
        assert count(app, "queries") == start["queries"] + 10
        pg_ctl("stop")
        try:
            traffic(client, 15, "during")  # the site keeps answering; the rows wait
            token = csrf(client, "/ko/contact")
            r = client.post("/ko/contact", data={**TICKET, "csrf_token": token})
            html = r.get_data(as_text=True)
            # not stored, so not confirmed: the player keeps every word and is told to send again
            assert r.status_code == 503 and TICKET["description"] in html and TICKET["email"] in html
            app.extensions["kb_ready"] = {"at": 0.0, "problem": ""}  # no cached answer
            ready = client.get("/readyz")
            assert ready.status_code == 503 and "database" in ready.get_json()["problems"]
            assert client.get("/healthz").status_code == 200  # alive all the same
            app.extensions["kb_writer"].flush()
            assert app.extensions["kb_writer"].depth == 30 and app.extensions["kb_writer"].rejected == 0
        finally:
            pg_ctl("start")
            ensure_postgres()
        app.extensions["kb_writer"].flush()
        assert count(app, "queries") == start["queries"] + 25  # nothing lost
        assert count(app, "events") == start["events"] + 25
        assert client.post("/ko/contact", data={**TICKET, "csrf_token": csrf(client, "/ko/contact")}).status_code == 303
        assert count(app, "tickets") == start["tickets"] + 1
        app.extensions["kb_ready"] = {"at": 0.0, "problem": ""}
        assert client.get("/readyz").status_code == 200
    finally:
        ensure_postgres()
        close_app(app)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB file system (tmpfs), when the tests run as root; skipped otherwise."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small disk needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(directory: Path) -> Path:
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # no space left on device
        pass
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
def test_a_full_disk_keeps_rows_until_there_is_room_again(built_index, small_disk):
    app = make_app(built_index, f"sqlite:///{small_disk}/kb.sqlite3")
    client = app.test_client()
    writer = app.extensions["kb_writer"]
    try:
        traffic(client, 3, "before")
        writer.flush()
        filler = fill(small_disk)
        traffic(client, 200, "full")  # events with long-ish queries: far more than the disk has room for
        writer.flush()
        assert writer.depth > 0 and writer.rejected == 0 and writer.dropped == 0
        filler.unlink()
        writer.flush()
        assert writer.depth == 0
        assert count(app, "queries") == 203 and count(app, "events") == 203
    finally:
        close_app(app)


# --- the index ---------------------------------------------------------------------------------------

@pytest.fixture
def index_copy(built_index, tmp_path):
    shutil.copytree(built_index, tmp_path / "index")
    return tmp_path / "index"


def test_current_naming_a_missing_version_serves_the_last_good_one(index_copy, tmp_path):
    good = current_version(index_copy)
    (index_copy / "CURRENT").write_text("20991231T000000000000Z")  # a version that is not there
    app = make_app(index_copy, f"sqlite:///{tmp_path}/db.sqlite3")  # e.g. a worker restarting meanwhile
    try:
        client = app.test_client()
        assert client.get("/healthz").get_json()["index"] == good
        assert client.get("/api/search?q=withdrawal&lang=en").status_code == 200
        assert client.get("/readyz").status_code == 200
    finally:
        close_app(app)


def test_an_index_that_turns_unreadable_keeps_the_version_being_served(index_copy, tmp_path, monkeypatch):
    from helpcenter.search import live

    monkeypatch.setattr(live, "CHECK_EVERY", 0.0)  # look at CURRENT on every request
    app = make_app(index_copy, f"sqlite:///{tmp_path}/db.sqlite3")
    try:
        client = app.test_client()
        good = client.get("/healthz").get_json()["index"]
        (index_copy / "CURRENT").unlink()
        (index_copy / "CURRENT").mkdir()  # reading it now fails with an OSError
        for path in ("/healthz", "/api/search?q=password&lang=en", "/en/articles/reset-password"):
            r = client.get(path)
            assert r.status_code == 200, path
        assert client.get("/healthz").get_json()["index"] == good
    finally:
        close_app(app)


def test_no_readable_index_answers_503_never_500(tmp_path):
    index_dir = tmp_path / "index"
    (index_dir / "CURRENT").mkdir(parents=True)  # unreadable as a file
    app = make_app(index_dir, f"sqlite:///{tmp_path}/db.sqlite3")
    try:
        client = app.test_client()
        for path in ("/healthz", "/readyz", "/api/search?q=x&lang=en", "/api/suggest?q=x"):
            r = client.get(path)
            assert r.status_code == 503 and r.is_json, (path, r.status_code)
        assert client.get("/en/").status_code == 503
    finally:
        close_app(app)
