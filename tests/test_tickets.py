"""Tickets reach people: a real SMTP server and a real HTTP receiver on loopback, stopped and started.

Every ticket arrives exactly once at each destination, whatever was down meanwhile; signatures are
checked both ways; the player's page follows the help desk's reports; e-mails in all three languages.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from helpcenter.insights import outbox
from helpcenter.web import create_app
from helpcenter.web.services import close_app

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """A real SMTP server (aiosmtpd) on a fixed loopback port, that can be stopped and started."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def start(self) -> Inbox:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] and address in m["To"]]


class Receiver:
    """A real HTTP receiver of the webhook, checking each signature; can be stopped and started."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[dict] = []
        self.refused = 0
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-KB-Signature", "")):
                    outer.refused += 1
                    self.send_response(401)
                else:
                    outer.received.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def inbox():
    box = Inbox()
    yield box
    box.stop()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def make_app(built_index, database_url, inbox, receiver, **extra):
    return create_app({
        "KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": database_url, "KB_RATE_LIMIT": "off",
        "KB_TICKET_RATE_LIMIT": "off", "TESTING": True, "KB_PUBLIC_URL": "https://help.example.com",
        "KB_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}", "KB_MAIL_FROM": "help@casino.example",
        "KB_TICKET_EMAIL_TO": "support@helpdesk.example",
        "KB_TICKET_WEBHOOK_URL": f"http://127.0.0.1:{receiver.port}/hooks/tickets",
        "KB_TICKET_WEBHOOK_SECRET": SECRET, **extra})


@pytest.fixture
def app(built_index, database_url, inbox, receiver):
    app = make_app(built_index, database_url, inbox, receiver)
    yield app
    close_app(app)


def csrf(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


TICKETS = {
    "en": {"category": "withdrawals", "subject": "Withdrawal pending for 3 days",
           "description": "I asked for 200 USDT on Monday and it still says pending. Card 4111 1111 1111 1111.",
           "email": "alice@example.com"},
    "ko": {"category": "deposits", "subject": "충전이 안 들어왔어요",
           "description": "어제 5만원 충전했는데 잔액에 안 들어왔어요. 확인 부탁드립니다.", "email": "kim@example.kr"},
    "fa": {"category": "account", "subject": "رمز عبورم را فراموش کردم",
           "description": "ایمیل بازیابی رمز برایم نیامد، لطفاً کمک کنید.", "email": "reza@example.ir"},
}


def send_ticket(client, lang: str, **fields) -> tuple[str, str]:
    """Send a ticket through the form as a player does; returns (number, the ticket page's link)."""
    data = {**TICKETS[lang], **fields, "csrf_token": csrf(client, f"/{lang}/contact"),
            "suggested": "withdrawal-times,reset-password", "visit": fields.get("visit", "")}
    r = client.post(f"/{lang}/contact", data=data)
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    html = client.get(f"/{lang}/contact/sent").get_data(as_text=True)
    number = re.search(r"#(\d{6})", html).group(1)
    link = re.search(r'id="kb-ticket-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    return number, link


def deliver(app, until, seconds: float = 20.0) -> None:
    """Let the deliverers (the app's thread, and this test) send until `until()` holds."""
    deadline = time.monotonic() + seconds
    while not until():
        assert time.monotonic() < deadline, "not delivered in time"
        app.extensions["kb_deliverer"].wake()
        time.sleep(0.1)


def force_due(app) -> None:
    """Skip the back-off: what failed is due again now."""
    from sqlalchemy import update

    from helpcenter.insights.db import now

    with app.extensions["kb_db"].engine.begin() as conn:
        conn.execute(update(outbox.outbox).where(outbox.outbox.c.state == "pending").values(next_at=now()))


def test_tickets_sent_while_mail_and_webhook_are_down_arrive_once_each_when_they_are_back(app, inbox, receiver):
    client = app.test_client()
    numbers = [send_ticket(client, lang)[0] for lang in ("en", "ko", "fa")]  # both destinations are down
    deliver(app, lambda: all(m["attempts"] >= 1 for m in app.extensions["kb_db"].rows(select(outbox.outbox))))
    assert inbox.messages == [] and receiver.received == []
    inbox.start()
    receiver.start()
    force_due(app)
    deliver(app, lambda: len(receiver.received) == 3 and len(inbox.messages) == 6)
    time.sleep(1.5)  # and nothing more comes
    assert sorted(p["number"] for p in receiver.received) == sorted(numbers)
    assert len({p["id"] for p in receiver.received}) == 3 and receiver.refused == 0
    assert len(inbox.to("support@helpdesk.example")) == 3
    assert {m["To"] for m in inbox.messages} >= {"alice@example.com", "kim@example.kr", "reza@example.ir"}
    rows = app.extensions["kb_db"].rows(select(outbox.outbox))
    assert len(rows) == 9 and {r["state"] for r in rows} == {"delivered"}


def test_what_the_support_team_and_the_webhook_get(app, inbox, receiver):
    inbox.start()
    receiver.start()
    client = app.test_client()
    number, _ = send_ticket(client, "en")
    deliver(app, lambda: receiver.received and len(inbox.messages) == 2)
    (support,) = inbox.to("support@helpdesk.example")
    assert support["Subject"] == f"[#{number}] Withdrawal pending for 3 days"
    assert support["Reply-To"] == "alice@example.com" and support["Message-ID"].startswith("<ticket-")
    body = support.get_content()
    for needed in ("Language: en", "Category: withdrawals", "alice@example.com", "200 USDT",
                   "How long do withdrawals take?", "https://help.example.com/en/articles/withdrawal-times"):
        assert needed in body, needed
    assert "4111 1111 1111 1111" not in body and "[CARD …1111]" in body  # masked to the last four
    (payload,) = receiver.received
    assert payload["number"] == number and payload["lang"] == "en" and payload["category"] == "withdrawals"
    assert payload["suggested"] == ["withdrawal-times", "reset-password"] and payload["email"] == "alice@example.com"
    assert set(payload) >= {"id", "number", "lang", "category", "subject", "description", "email", "created_at"}


@pytest.mark.parametrize("lang, words, direction", [
    ("en", "We received your request", "ltr"), ("ko", "문의 #", "ltr"), ("fa", "درخواست", "rtl")])
def test_the_player_gets_a_confirmation_in_their_language(app, inbox, receiver, lang, words, direction):
    inbox.start()
    client = app.test_client()
    number, link = send_ticket(client, lang)
    email_to = TICKETS[lang]["email"]
    deliver(app, lambda: inbox.to(email_to))
    (mail,) = inbox.to(email_to)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"#{number}" in mail["Subject"] + text and words in mail["Subject"] + text
    assert f'dir="{direction}"' in html and mail["Content-Language"] == lang
    assert f"https://help.example.com{link}" in text  # the same link as the confirmation page's


def test_a_signed_status_report_changes_the_players_page_and_mails_the_reply(app, inbox, receiver):
    inbox.start()
    client = app.test_client()
    number, link = send_ticket(client, "ko")
    page = client.get(link).get_data(as_text=True)
    assert "접수됨" in page and "아직 답변이 없어요" in page and TICKETS["ko"]["description"] in page
    body = json.dumps({"status": "answered", "reply": "확인해 보니 입금이 반영되었습니다. 잔액을 확인해 주세요."},
                      ensure_ascii=False).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    r = client.post(f"/api/tickets/{number}/status", data=body, content_type="application/json",
                    headers={"X-KB-Signature": signature})
    assert r.status_code == 200 and r.get_json()["status"] == "answered"
    again = client.post(f"/api/tickets/{number}/status", data=body, content_type="application/json",
                        headers={"X-KB-Signature": signature})  # a help desk retrying its report
    assert again.status_code == 200
    page = client.get(link).get_data(as_text=True)
    assert "답변 완료" in page and "입금이 반영되었습니다" in page and page.count('class="reply"') == 1
    deliver(app, lambda: len(inbox.to("kim@example.kr")) == 2)
    reply_mail = [m for m in inbox.to("kim@example.kr") if "답변" in m["Subject"]]
    assert len(reply_mail) == 1 and "입금이 반영되었습니다" in reply_mail[0].get_body(("plain",)).get_content()
    # a bad signature, none, or another body under a good signature: refused, nothing changes
    for headers, data in (({"X-KB-Signature": "sha256=" + "0" * 64}, body), ({}, body),
                          ({"X-KB-Signature": signature}, body.replace("answered".encode(), b"closed"))):
        r = client.post(f"/api/tickets/{number}/status", data=data, content_type="application/json", headers=headers)
        assert r.status_code == 403 and r.is_json
    assert "답변 완료" in client.get(link).get_data(as_text=True)
    # the page opens with its key only
    assert client.get(link.split("?")[0]).status_code == 404
    assert client.get(link[:-1] + ("0" if link[-1] != "0" else "1")).status_code == 404


def test_a_restart_in_the_middle_of_a_delivery_sends_it_once(built_index, database_url, inbox, receiver):
    """A server stopped while a message is claimed: the next one sends it after the lease, once."""
    app = make_app(built_index, database_url, inbox, receiver)
    client = app.test_client()
    app.extensions["kb_deliverer"].stop()  # this "server" dies before it can send
    send_ticket(client, "en")
    claimed = outbox.claim(app.extensions["kb_db"])  # it took the messages, then died
    assert len(claimed) == 3
    close_app(app)
    inbox.start()
    receiver.start()
    again = make_app(built_index, database_url, inbox, receiver)  # the restarted server
    try:
        from sqlalchemy import update

        from helpcenter.insights.db import now

        with again.extensions["kb_db"].engine.begin() as conn:  # the lease runs out
            conn.execute(update(outbox.outbox).values(next_at=now()))
        deliver(again, lambda: len(receiver.received) == 1 and len(inbox.messages) == 2)
        time.sleep(1.5)
        assert len(receiver.received) == 1 and len(inbox.messages) == 2
    finally:
        close_app(again)


def test_two_deliverers_never_send_one_message_twice(app, inbox, receiver):
    from helpcenter.insights.delivery import Deliverer

    inbox.start()
    receiver.start()
    app.extensions["kb_deliverer"].stop()
    client = app.test_client()
    for lang in ("en", "ko", "fa", "en", "ko"):
        send_ticket(client, lang)
    db, delivery = app.extensions["kb_db"], app.extensions["kb_delivery"]
    racers = [Deliverer(db, delivery) for _ in range(4)]
    threads = [threading.Thread(target=d.run_once) for d in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(receiver.received) == 5 and len({p["id"] for p in receiver.received}) == 5
    assert len(inbox.messages) == 10


def test_a_message_that_keeps_failing_is_dead_and_the_admin_retries_it(app, inbox, receiver, monkeypatch):
    from helpcenter.insights.editors import add_editor

    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 2)
    app.extensions["kb_deliverer"].stop()  # tries by hand, one after the other
    client = app.test_client()
    number, _ = send_ticket(client, "fa")
    for _ in range(2):  # both destinations down both times
        force_due(app)
        app.extensions["kb_deliverer"].run_once()
    rows = app.extensions["kb_db"].rows(select(outbox.outbox))
    assert {r["state"] for r in rows} == {"dead"} and all(r["last_error"] for r in rows)
    add_editor(app.extensions["kb_db"], "editor@example.com", "a long enough password")
    token = csrf(client, "/admin/login")
    client.post("/admin/login", data={"email": "editor@example.com", "password": "a long enough password",
                                      "csrf_token": token})
    page = client.get("/admin/tickets?lang=fa").get_data(as_text=True)
    assert f"#{number}" in page and "dead" in page and "withdrawal-times" in page and "Retry" in page
    assert f"#{number}" not in client.get("/admin/tickets?lang=ko").get_data(as_text=True)
    ticket_id = rows[0]["ticket_id"]
    inbox.start()
    receiver.start()
    r = client.post(f"/admin/tickets/{ticket_id}/retry", data={"csrf_token": csrf(client, "/admin/tickets")})
    assert r.status_code == 302
    app.extensions["kb_deliverer"].run_once()
    assert len(receiver.received) == 1 and len(inbox.messages) == 2


def test_the_funnel_counts_visits_not_browsers(app):
    """Two visits solved by an article, then four tickets from the same browser: 2 solved, 4 submitted."""
    from helpcenter.insights.analytics import deflection_funnel

    client = app.test_client()
    for visit in ("solved-1", "solved-2"):
        client.post("/api/events", json={"type": "suggestion_shown", "session": "one-browser", "visit": visit})
        client.post("/api/events", json={"type": "suggestion_clicked", "slug": "reset-password",
                                         "session": "one-browser", "visit": visit})
        client.post("/api/events", json={"type": "ticket_abandoned", "session": "one-browser", "visit": visit})
    for i in range(4):
        visit = f"ticket-{i}"
        client.post("/api/events", json={"type": "suggestion_shown", "session": "one-browser", "visit": visit})
        if i == 0:  # opened an article, then sent a ticket all the same: submitted
            client.post("/api/events", json={"type": "suggestion_clicked", "slug": "reset-password",
                                             "session": "one-browser", "visit": visit})
        send_ticket(client, "en", sid="one-browser", visit=visit)
    app.extensions["kb_writer"].flush()
    funnel = deflection_funnel(app.extensions["kb_db"])
    assert (funnel["shown"], funnel["opened"], funnel["solved"], funnel["submitted"]) == (6, 3, 2, 4)
    assert funnel["deflection_rate"] == pytest.approx(2 / 6)
