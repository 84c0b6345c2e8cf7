"""The editors' area: login required, CSRF on every form, growing delay, dashboard and gap actions."""
import datetime as dt
import re

import pytest

from helpcenter.insights.editors import add_editor, authenticate, lockout_seconds
from helpcenter.web import create_app
from helpcenter.web.services import close_app

EMAIL, PASSWORD = "editor@example.com", "a long enough password"


@pytest.fixture
def app(built_index, database_url):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": database_url, "TESTING": True})
    add_editor(app.extensions["kb_db"], EMAIL, PASSWORD)
    yield app
    close_app(app)


def csrf(client, path="/admin/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, password=PASSWORD):
    return client.post("/admin/login", data={"email": EMAIL, "password": password, "csrf_token": csrf(client)})


@pytest.mark.parametrize("path", ["/admin/", "/admin/gaps", "/admin/gaps.csv"])
def test_anonymous_users_are_redirected_to_login(app, path):
    r = app.test_client().get(path)
    assert r.status_code == 302 and "/admin/login" in r.headers["Location"]


def test_forms_refuse_a_missing_or_wrong_csrf_token(app):
    client = app.test_client()
    csrf(client)  # a session exists, but the token is not sent
    r = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    r = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 400
    assert login(client).status_code == 302
    r = client.post("/admin/gaps/1/dismiss", data={})
    assert r.status_code == 400


def test_login_sets_httponly_samesite_cookie_and_opens_dashboard(app):
    client = app.test_client()
    r = login(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/")
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Ticket-form deflection" in html and "No-answer rate" in html


def test_wrong_password_then_growing_delay_from_that_address(app):
    store = app.extensions["kb_db"]
    t0 = dt.datetime.now(dt.timezone.utc)
    for i in range(3):
        assert not authenticate(store, EMAIL, "wrong", "198.51.100.7", at=t0 + dt.timedelta(seconds=i)).ok
    locked = authenticate(store, EMAIL, PASSWORD, "198.51.100.7", at=t0 + dt.timedelta(seconds=3))
    assert not locked.ok and locked.retry_after > 0  # even the right password waits, from there
    # the editor at their own address is not locked out by someone guessing elsewhere
    assert authenticate(store, EMAIL, PASSWORD, "203.0.113.20", at=t0 + dt.timedelta(seconds=3)).ok
    assert authenticate(store, EMAIL, PASSWORD, "198.51.100.7", at=t0 + dt.timedelta(seconds=60)).ok
    assert [lockout_seconds(n) for n in range(2, 7)] == [0, 2, 4, 8, 16]


def test_one_address_trying_many_accounts_is_slowed_down(app):
    store = app.extensions["kb_db"]
    t0 = dt.datetime.now(dt.timezone.utc)
    results = [authenticate(store, f"guess{i}@example.com", "wrong", "198.51.100.8", at=t0) for i in range(21)]
    assert all(not r.ok for r in results)
    later = authenticate(store, EMAIL, PASSWORD, "198.51.100.8", at=t0 + dt.timedelta(seconds=1))
    assert not later.ok and later.retry_after > 0  # 20 failures over accounts: this address waits
    assert authenticate(store, EMAIL, PASSWORD, "203.0.113.21", at=t0 + dt.timedelta(seconds=1)).ok


def test_known_and_unknown_accounts_are_answered_alike(app):
    statuses = {}
    for email in (EMAIL, "nobody@example.com"):
        client = app.test_client()
        token = csrf(client)
        codes = []
        for _ in range(4):
            r = client.post("/admin/login", data={"email": email, "password": "wrong", "csrf_token": token})
            page = re.sub(r'value="[^"]+"', "", re.sub(r"\d+ seconds", "N seconds", r.get_data(as_text=True)))
            codes.append((r.status_code, page))
        statuses[email] = codes
    assert statuses[EMAIL] == statuses["nobody@example.com"]
    assert [c for c, _ in statuses[EMAIL]] == [401, 401, 429, 429]


def test_concurrent_failures_are_all_counted(app):
    import threading

    from sqlalchemy import select

    from helpcenter.insights.db import login_failures

    store = app.extensions["kb_db"]
    threads = [threading.Thread(target=authenticate, args=(store, EMAIL, f"wrong{i}", "198.51.100.9"))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = sorted(r["failures"] for r in store.rows(select(login_failures)))
    assert counts[-1] == 8  # per address; per (address, account) too, as both are one key each here
    assert counts == [8, 8]


def test_login_page_answers_429_while_delayed(app):
    client = app.test_client()
    # the third failure starts the delay, and says so
    assert [login(client, "wrong").status_code for _ in range(3)] == [401, 401, 429]
    r = login(client)
    assert r.status_code == 429 and "Try again in" in r.get_data(as_text=True)


def test_logout_and_removal_end_every_session(app):
    from helpcenter.insights.editors import remove_editor

    first, second = app.test_client(), app.test_client()
    login(first)
    login(second)  # another browser of the same editor
    stolen = first.get_cookie("session").value
    assert first.get("/admin/").status_code == 200 and second.get("/admin/").status_code == 200
    first.post("/admin/logout", data={"csrf_token": csrf(first, "/admin/")})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/admin/").status_code == 302  # the cookie from before the logout is refused
    assert second.get("/admin/").status_code == 302  # and so is every other session of the account
    login(second)
    assert second.get("/admin/").status_code == 200
    remove_editor(app.extensions["kb_db"], EMAIL)
    assert second.get("/admin/").status_code == 302


def test_weak_passwords_are_refused():
    from helpcenter.insights.editors import password_problem

    for weak in ("password12", " " * 16, "password1234", "qwertyuiop123", "editor@example.com"):
        assert password_problem(weak, "editor@example.com"), weak
    assert password_problem("sun moon river lake", "editor@example.com") == ""


def test_open_redirect_is_refused(app):
    client = app.test_client()
    token = csrf(client)
    r = client.post("/admin/login?next=//evil.example/x", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert r.headers["Location"].endswith("/admin/")


def test_gap_page_escapes_queries_resolves_and_exports_csv(app):
    client = app.test_client()
    client.get("/api/search", query_string={"q": '<script>alert("x")</script> =cmd lottery', "lang": "en"})
    app.extensions["kb_writer"].flush()
    login(client)
    html = client.get("/admin/gaps").get_data(as_text=True)
    assert "1 unanswered query since" in html and "No gaps in this period" in html  # not grouped yet
    r = client.post("/admin/gaps/regroup", data={"csrf_token": csrf(client, "/admin/gaps")})
    assert r.status_code == 302
    app.extensions["kb_regroup"].join(30)  # it runs in the background
    html = client.get("/admin/gaps").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    group_id = re.search(r"/admin/gaps/(\d+)/resolve", html).group(1)
    token = csrf(client, "/admin/gaps")
    r = client.post(f"/admin/gaps/{group_id}/resolve", data={"slug": "no-such-article", "csrf_token": token})
    assert r.status_code == 400
    r = client.post(f"/admin/gaps/{group_id}/resolve", data={"slug": "withdrawal-times", "csrf_token": token})
    assert r.status_code == 302
    assert "No gaps in this period" in client.get("/admin/gaps").get_data(as_text=True)
    csv_text = client.get("/admin/gaps.csv").get_data(as_text=True)
    assert "resolved" in csv_text and "withdrawal-times" in csv_text and ",=cmd" not in csv_text


def test_gap_pages_only_read_and_never_run_the_encoder(app, monkeypatch):
    client = app.test_client()
    for q in ("do you sponsor football teams", "who sponsors your football team"):
        client.get("/api/search", query_string={"q": q, "lang": "en"})
    app.extensions["kb_writer"].flush()
    login(client)
    assert client.post("/admin/gaps/regroup", data={"csrf_token": csrf(client, "/admin/gaps")}).status_code == 302
    app.extensions["kb_regroup"].join(30)
    client.get("/api/search", query_string={"q": "qzxv sponsorship deal", "lang": "en"})
    app.extensions["kb_writer"].flush()
    encoder = app.extensions["kb_searcher"].get().index.encoder

    def no_encoder(texts):
        raise AssertionError(f"a page ran the encoder on {texts}")

    monkeypatch.setattr(encoder, "encode_queries", no_encoder)
    db = app.extensions["kb_db"]
    before = {name: db.count(name) for name in ("gap_groups", "gap_members", "gap_runs")}
    for path in ("/admin/", "/admin/gaps", "/admin/gaps?show=all&lang=en&days=90", "/admin/gaps.csv"):
        assert client.get(path).status_code == 200, path
    assert {name: db.count(name) for name in before} == before
    assert "1 unanswered query since" in client.get("/admin/gaps").get_data(as_text=True)


def test_an_unknown_or_huge_gap_id_is_404(app):
    client = app.test_client()
    login(client)
    token = csrf(client, "/admin/gaps")
    for group_id in ("999", str(2**63), "9" * 40):
        r = client.post(f"/admin/gaps/{group_id}/dismiss", data={"csrf_token": token})
        assert r.status_code == 404, group_id
