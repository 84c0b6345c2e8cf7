"""The gap loop end to end: queries through the real API, logged, grouped by meaning, marked by editors."""
import datetime as dt

import pytest
from click.testing import CliRunner

from helpcenter.cli import main
from helpcenter.insights.gaps import GapReport, cluster
from helpcenter.web import create_app
from helpcenter.web.services import close_app

TOPICS = {
    "tax": [("en", "do i have to pay tax on my gambling winnings"), ("en", "tax on winnings"),
            ("ko", "도박 당첨금 세금 내야 하나요"), ("ko", "당첨금 세금 신고"),
            ("fa", "مالیات بردهای شرط بندی"), ("fa", "باید برای برد مالیات بدم")],
    "stream": [("en", "where can i watch the match live stream"), ("en", "live stream football games"),
               ("ko", "축구 중계 어디서 봐요"), ("ko", "경기 생중계 보는 법"),
               ("fa", "پخش زنده فوتبال کجا ببینم"), ("fa", "بازی رو زنده کجا ببینم")],
    "jobs": [("en", "are you hiring customer support agents"), ("en", "job vacancies at your company"),
             ("ko", "상담원 채용 하나요"), ("ko", "채용 공고 있나요"),
             ("fa", "استخدام پشتیبان دارید"), ("fa", "آگهی استخدام شرکت")],
}


@pytest.fixture
def app(built_index, database_url):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": database_url, "TESTING": True})
    yield app
    close_app(app)


def report(app) -> GapReport:
    """The report after a regrouping of everything logged so far."""
    app.extensions["kb_writer"].flush()
    index = app.extensions["kb_searcher"].get().index
    rep = GapReport(app.extensions["kb_db"], index.encoder, index.passage_mean)
    rep.regroup()
    return rep


def test_three_uncovered_topics_in_three_languages_make_three_groups(app):
    client = app.test_client()
    for qs in TOPICS.values():
        for lang, q in qs:
            data = client.get("/api/search", query_string={"q": q, "lang": lang, "sid": "t"}).get_json()
            assert data["answered"] is False, q
    groups = [g for g in report(app).read() if g.kind == "missing_content"]
    assert len(groups) == 3
    got = sorted(sorted(g.members) for g in groups)
    assert got == sorted(sorted(q for _, q in qs) for qs in TOPICS.values())
    for g in groups:
        assert g.languages == {"en": 2, "ko": 2, "fa": 2} and g.status == "open"
        assert sum(g.trend) == 6 and g.first_seen <= g.last_seen


def test_korean_reader_answered_only_by_english_article_is_a_missing_translation(app):
    client = app.test_client()
    for q in ("usdt 코인 충전", "코인 충전"):
        data = client.get("/api/search", query_string={"q": q, "lang": "ko"}).get_json()
        assert data["answered"] and data["results"][0]["lang"] == "en"
    groups = [g for g in report(app).read() if g.kind == "missing_translation"]
    assert [(g.slug, g.languages, g.size) for g in groups] == [("crypto-deposits", {"ko": 2}, 2)]


def test_unhelpful_votes_and_tickets_after_reading_make_unhelpful_gaps(app):
    client = app.test_client()
    client.post("/api/events", json={"type": "article_not_helpful", "slug": "reset-password", "lang": "fa"})
    client.post("/api/events", json={"type": "suggestion_clicked", "slug": "withdrawal-times", "session": "p1"})
    client.post("/api/events", json={"type": "ticket_submitted", "session": "p1"})
    client.post("/api/events", json={"type": "suggestion_clicked", "slug": "crypto-deposits", "session": "p2"})
    client.post("/api/events", json={"type": "ticket_abandoned", "session": "p2"})  # solved: not a gap
    groups = {g.slug: g for g in report(app).read() if g.kind == "unhelpful_article"}
    assert set(groups) == {"reset-password", "withdrawal-times"}


def test_resolved_group_reopens_when_new_queries_arrive(app):
    client = app.test_client()
    for lang, q in TOPICS["jobs"][:3]:
        client.get("/api/search", query_string={"q": q, "lang": lang})
    rep = report(app)
    (group,) = rep.read()
    rep.set_status(group.id, "resolved", "contact-support")
    assert rep.read() == []
    (closed,) = rep.read(include_closed=True)
    assert closed.status == "resolved" and closed.resolved_slug == "contact-support"
    client.get("/api/search", query_string={"q": "채용 공고 있나요", "lang": "ko"})
    (reopened,) = report(app).read()
    assert reopened.id == group.id and reopened.status == "open" and reopened.size == 4


def test_dismissed_group_stays_hidden(app):
    client = app.test_client()
    client.get("/api/search", query_string={"q": "tax on winnings", "lang": "en"})
    rep = report(app)
    (group,) = rep.read()
    rep.set_status(group.id, "dismissed")
    client.get("/api/search", query_string={"q": "tax on winnings", "lang": "en"})
    assert report(app).read() == []


def test_cluster_is_average_linkage_on_cosine():
    import numpy as np

    v = np.array([[1, 0], [0.95, 0.31], [0, 1], [0.1, 0.99]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert cluster(v, threshold=0.8) == [[0, 1], [2, 3]]
    assert cluster(v, threshold=-1.0) == [[0, 1, 2, 3]]
    assert cluster(v[:1]) == [[0]] and cluster(v[:0]) == []


def test_kb_gaps_cli_prints_the_same_report(app, built_index, database_url, monkeypatch):
    client = app.test_client()
    for lang, q in TOPICS["stream"]:
        client.get("/api/search", query_string={"q": q, "lang": lang})
    app.extensions["kb_writer"].flush()
    monkeypatch.setenv("KB_INDEX_DIR", str(built_index))
    monkeypatch.setenv("KB_DATABASE_URL", database_url)
    runner = CliRunner()
    out = runner.invoke(main, ["gaps", "--json"])
    assert out.exit_code == 0, out.output
    import json

    (group,) = json.loads(out.output)
    assert group["kind"] == "missing_content" and group["size"] == 6 and group["languages"] == {"en": 2, "ko": 2, "fa": 2}
    text = runner.invoke(main, ["gaps", "--lang", "ko"]).output
    assert "missing_content: 2 queries (ko:2)" in text and "축구 중계 어디서 봐요" in text
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "no gaps" in runner.invoke(main, ["gaps", "--since", tomorrow]).output


def test_kb_prune_and_editor_accounts(database_url, monkeypatch):
    monkeypatch.setenv("KB_DATABASE_URL", database_url)
    runner = CliRunner()
    twice = "correct horse battery staple\ncorrect horse battery staple\n"
    out = runner.invoke(main, ["editor", "add", "Ed@Example.com"], input=twice)
    assert out.exit_code == 0 and "ed@example.com added" in out.output
    assert "correct horse" not in out.output  # asked for with the input hidden
    again = runner.invoke(main, ["editor", "add", "ed@example.com"], input=twice)
    assert again.exit_code == 1 and "exists already" in again.output
    for weak in ("short", " " * 14, "password1234", "qwertyuiop123"):
        out = runner.invoke(main, ["editor", "add", "x@example.com", "--password-stdin"], input=weak + "\n")
        assert out.exit_code == 1 and ("at least 12" in out.output or "too weak" in out.output), (weak, out.output)
    out = runner.invoke(main, ["editor", "add", "x@example.com", "--password", "sun moon river lake"])
    assert out.exit_code == 2  # no password on the command line: the process list would show it
    assert runner.invoke(main, ["editor", "remove", "ed@example.com"]).exit_code == 0
    assert runner.invoke(main, ["editor", "remove", "ed@example.com"]).exit_code == 1
    assert "removed 0 queries" in runner.invoke(main, ["prune", "--days", "30"]).output
