"""GET /metrics: Prometheus's text format, one process's counts here, all workers' under gunicorn."""
from __future__ import annotations

import os
import signal
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from servers import Server, get

from helpcenter.web import create_app
from helpcenter.web.services import close_app


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) -> value, parsed by prometheus-client's own parser."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    r = client.get("/metrics", **kwargs)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.content_type.startswith("text/plain")
    return samples(r.get_data(as_text=True))


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_endpoint_and_status(client):
    before = scrape(client)
    assert client.get("/api/search", query_string={"q": "비밀번호 재설정", "lang": "ko"}).status_code == 200
    assert client.get("/api/search", query_string={"lang": "xx", "q": "x"}).status_code == 400
    for path in ("/wp-admin/setup.php", "/cgi-bin/x.cgi", "/a/b/c/d"):  # scanners: one series for all of them
        assert client.get(path).status_code == 404
    after = scrape(client)
    assert value(after, "kb_http_requests_total", endpoint="api.search", status="200") == \
        value(before, "kb_http_requests_total", endpoint="api.search", status="200") + 1
    assert value(after, "kb_http_requests_total", endpoint="api.search", status="400") == \
        value(before, "kb_http_requests_total", endpoint="api.search", status="400") + 1
    assert value(after, "kb_http_requests_total", endpoint="unmatched", status="404") == \
        value(before, "kb_http_requests_total", endpoint="unmatched", status="404") + 3
    assert value(after, "kb_http_request_duration_seconds_count", endpoint="api.search") == \
        value(before, "kb_http_request_duration_seconds_count", endpoint="api.search") + 2
    assert value(after, "kb_http_request_duration_seconds_bucket", endpoint="api.search", le="+Inf") == \
        value(after, "kb_http_request_duration_seconds_count", endpoint="api.search")
    assert not any("wp-admin" in str(labels) for _, labels in after)


def test_queries_are_counted_by_language_and_answer_and_the_encoder_by_its_calls(client):
    before = scrape(client)
    # new to every cache, so the encoder reads it: a word of letters (a long number is personal data,
    # which search does not read: `reading.what_is_asked`)
    novel = "how long does a withdrawal take " + "".join(chr(97 + int(d)) for d in str(time.time_ns()))
    assert client.get("/api/search", query_string={"q": novel, "lang": "en"}).get_json()["answered"] is True
    assert client.get("/api/search", query_string={"q": "상담원 채용 하나요", "lang": "ko"}).get_json()["answered"] is False
    client.get("/api/suggest", query_string={"q": "비밀", "lang": "ko"})  # a keystroke: not logged, not counted
    after = scrape(client)
    assert value(after, "kb_queries_total", lang="en", answered="true") == \
        value(before, "kb_queries_total", lang="en", answered="true") + 1
    assert value(after, "kb_queries_total", lang="ko", answered="false") == \
        value(before, "kb_queries_total", lang="ko", answered="false") + 1
    assert sum(v for (name, _), v in after.items() if name == "kb_queries_total") == \
        sum(v for (name, _), v in before.items() if name == "kb_queries_total") + 2
    assert value(after, "kb_encoder_duration_seconds_count") >= value(before, "kb_encoder_duration_seconds_count") + 1
    assert value(after, "kb_encoder_duration_seconds_sum") > value(before, "kb_encoder_duration_seconds_sum")


def test_gauges_the_log_queue_the_outbox_and_the_index_served(app, client):
    found = scrape(client)
    version = client.get("/healthz").get_json()["index"]
    assert value(found, "kb_index_info", version=version) == 1
    assert ("kb_log_queue_depth", ()) in found and ("kb_ticket_outbox_depth", ()) in found
    writer = app.extensions["kb_writer"]
    assert value(found, "kb_log_queue_depth") == writer.depth


def test_log_rows_dropped_on_a_full_queue_are_counted(app, client):
    writer = app.extensions["kb_writer"]
    before = scrape(client)
    writer.max_queue, full = 0, writer.max_queue
    try:
        client.get("/api/search", query_string={"q": "cash out", "lang": "en"})
    finally:
        writer.max_queue = full
    after = scrape(client)
    assert value(after, "kb_log_rows_dropped_total") == value(before, "kb_log_rows_dropped_total") + 1


def test_rate_limited_requests_count_as_429(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.sqlite3'}",
                      "KB_RATE_LIMIT": "2/minute", "TESTING": True})
    try:
        client = app.test_client()
        before = scrape(client)
        codes = [client.get("/api/search", query_string={"q": "bonus", "lang": "en"}).status_code for _ in range(4)]
        assert codes == [200, 200, 429, 429]
        after = scrape(client)  # /metrics itself is never rate-limited
        assert value(after, "kb_http_requests_total", endpoint="api.search", status="429") == \
            value(before, "kb_http_requests_total", endpoint="api.search", status="429") + 2
    finally:
        close_app(app)


def test_only_this_machine_may_read_metrics_without_a_token(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    # through a proxy on this machine: a player's request, not a scraper's
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_with_a_token_anyone_holding_it_may_read_metrics(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.sqlite3'}",
                      "KB_METRICS_TOKEN": "s3cret-scrape-token", "TESTING": True})
    try:
        client = app.test_client()
        anywhere = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
        refused = client.get("/metrics")
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].lower().startswith("bearer")
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **anywhere).status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"}, **anywhere)
        assert ok.status_code == 200 and "kb_http_requests_total" in ok.get_data(as_text=True)
    finally:
        close_app(app)


# --- under gunicorn: the sums of two workers --------------------------------------------------------

def metrics_of(server: Server) -> dict:
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as r:
        return samples(r.read().decode("utf-8"))


def counted_pids(directory: Path, prefix: str) -> set[int]:
    return {int(p.stem.rsplit("_", 1)[1]) for p in directory.glob(f"{prefix}_*.db")}


@pytest.mark.serving
def test_two_workers_metrics_are_summed(site, tmp_path):
    env, _, _ = site
    directory = tmp_path / "metrics"
    (directory).mkdir()
    (directory / "counter_999999.db").write_bytes(b"stale")  # a previous run's: emptied at start
    server = Server({**env, "PROMETHEUS_MULTIPROC_DIR": str(directory)})
    sent = [0]
    lock = threading.Lock()

    def search(i: int) -> None:
        q = urllib.parse.quote(f"withdrawal pending {i}")
        assert get(f"{server.url}/api/search?q={q}&lang=en")[0] == 200
        with lock:
            sent[0] += 1

    try:
        workers = set(server.worker_pids())
        assert len(workers) == 2 and not (directory / "counter_999999.db").exists()
        # until both workers have answered searches (the kernel picks who accepts each connection)
        deadline = time.time() + 60
        while time.time() < deadline and not workers <= counted_pids(directory, "counter"):
            threads = [threading.Thread(target=search, args=(sent[0] + k,)) for k in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert workers <= counted_pids(directory, "counter")
        found = metrics_of(server)
        assert value(found, "kb_http_requests_total", endpoint="api.search", status="200") == sent[0]
        assert value(found, "kb_queries_total", lang="en", answered="true") + \
            value(found, "kb_queries_total", lang="en", answered="false") == sent[0]
        assert value(found, "kb_http_request_duration_seconds_count", endpoint="api.search") == sent[0]
        assert value(found, "kb_index_info", version=get(server.url + "/healthz")[1]["index"]) == 1
        assert ("kb_log_queue_depth", ()) in found and ("kb_ticket_outbox_depth", ()) in found

        # a worker killed: its gauges leave the sums, its counts stay; its replacement adds to them
        victim = sorted(workers)[0]
        assert victim in counted_pids(directory, "gauge_livesum")
        os.kill(victim, signal.SIGKILL)
        deadline = time.time() + 30
        while time.time() < deadline and (victim in counted_pids(directory, "gauge_livesum")
                                          or len(set(server.worker_pids()) - {victim}) < 2):
            time.sleep(0.2)
        assert victim not in counted_pids(directory, "gauge_livesum")
        search(10_000)
        again = metrics_of(server)
        assert value(again, "kb_http_requests_total", endpoint="api.search", status="200") == sent[0]
    finally:
        server.stop()
