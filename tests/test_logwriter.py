"""The log writer keeps every row it can: bad rows set apart, rows kept while the database is away,
drops only when its bounded queue is full, and then counted."""
import logging

import pytest
from sqlalchemy.exc import OperationalError

from helpcenter.insights.db import Database, now
from helpcenter.insights.logwriter import BatchWriter


def event(i: int, query: str = "환전") -> tuple[str, dict]:
    return ("events", {"ts": now(), "session": "s", "type": "suggestion_shown", "lang": "ko", "slug": f"a{i}",
                       "query": query, "data": "{}"})


@pytest.fixture
def db(database_url):
    db = Database(database_url)
    yield db
    db.dispose()


def test_a_row_the_database_refuses_is_set_apart_and_the_rest_written(db, caplog):
    w = BatchWriter(db, interval=60)
    bad = "x\ud800y" if db.engine.dialect.name == "sqlite" else "x\x00y"  # each refuses its own
    for i in range(10):
        w.put(*event(i, bad if i == 4 else "환전"))
    with caplog.at_level(logging.ERROR):
        w.flush()
        for i in range(10, 15):  # and the writer goes on writing what comes after
            w.put(*event(i))
        w.close()
    assert db.count("events") == 14 and w.rejected == 1 and w.written == 14
    assert "set apart" in caplog.text


def test_rows_wait_while_the_database_is_away_and_are_written_when_it_is_back(db, monkeypatch):
    w = BatchWriter(db, interval=60)
    real = db.write_batch
    down = {"on": True}

    def write_batch(rows):
        if down["on"]:
            raise OperationalError("INSERT", {}, Exception("could not connect: database is restarting"))
        return real(rows)

    monkeypatch.setattr(db, "write_batch", write_batch)
    for i in range(1200):  # more than two batches
        w.put(*event(i))
    w.flush()
    assert w.depth == 1200 and w.written == 0 and w.rejected == 0  # nothing lost, nothing set apart
    down["on"] = False
    w.close()
    assert db.count("events") == 1200 and w.depth == 0


def test_a_full_queue_drops_loudly_and_counts(db, caplog):
    w = BatchWriter(db, interval=60, max_queue=5)
    with caplog.at_level(logging.ERROR):
        accepted = [w.put(*event(i)) for i in range(8)]
    assert accepted == [True] * 5 + [False] * 3 and w.dropped == 3
    assert "log queue full" in caplog.text
    w.close()
    assert db.count("events") == 5


def test_an_error_is_described_by_its_class_and_first_line_even_without_text():
    from helpcenter.content.errors import describe

    assert describe(OSError("disk full\nmore detail")) == "OSError: disk full"
    assert describe(ConnectionError()) == "ConnectionError"  # no text: a handler must not fail on it
    assert describe(ValueError("x" * 500)) == "ValueError: " + "x" * 200
