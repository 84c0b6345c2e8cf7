"""Delivering tickets to people: e-mail to the support inbox and to the player, a signed JSON webhook to
the help desk. Runs off the request path: a thread in each server process (and `kb deliver`) takes due
messages from the outbox and sends them.

- The support inbox (`KB_TICKET_EMAIL_TO`) gets each ticket as an e-mail that help desks (Zendesk,
  Freshdesk, Zammad, FreeScout, Chatwoot) turn into a ticket of theirs: Reply-To the player, the
  language, category, subject, description and the articles the player was shown before sending.
- The player gets a confirmation in their language (Persian right to left) with the link to the
  ticket's page, and an e-mail when the help desk reports a reply.
- The webhook (`KB_TICKET_WEBHOOK_URL`) gets the ticket as JSON, signed in `X-KB-Signature:
  sha256=<hex HMAC-SHA256 of the body>` with `KB_TICKET_WEBHOOK_SECRET`; any 2xx is delivered.
Every message carries a stable id (the ticket's uid in the JSON, the Message-ID of an e-mail), so a
receiver can drop the copy a crash between sending and recording may cause.
"""
from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import smtplib
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from helpcenter.insights import outbox, tickets
from helpcenter.insights.db import Database, now
from helpcenter.insights.tickets import Ticket

log = logging.getLogger(__name__)

TIMEOUT = 15.0  # seconds for one SMTP session or webhook call (the outbox lease is far longer)
Articles = Callable[[Sequence[str], str], list[tuple[str, str]]]  # slugs, lang -> (title, url) each


@dataclass(frozen=True)
class Delivery:
    """Where tickets go, from the settings of the same names."""

    public_url: str = ""  # KB_PUBLIC_URL
    smtp_url: str = ""  # KB_SMTP_URL
    mail_from: str = ""  # KB_MAIL_FROM
    support_to: str = ""  # KB_TICKET_EMAIL_TO
    webhook_url: str = ""  # KB_TICKET_WEBHOOK_URL
    webhook_secret: str = ""  # KB_TICKET_WEBHOOK_SECRET
    secret_key: str = ""  # the app's, for the players' ticket links

    @classmethod
    def from_settings(cls, settings, secret_key: str) -> Delivery:
        return cls(settings["KB_PUBLIC_URL"], settings["KB_SMTP_URL"], settings["KB_MAIL_FROM"],
                   settings["KB_TICKET_EMAIL_TO"], settings["KB_TICKET_WEBHOOK_URL"],
                   settings["KB_TICKET_WEBHOOK_SECRET"], secret_key)

    def destinations(self) -> tuple[str, ...]:
        """The destinations a new ticket is owed to, by what is configured."""
        out = []
        if self.smtp_url and self.mail_from and self.support_to:
            out.append("support_email")
        if self.smtp_url and self.mail_from:
            out.append("player_email")
        if self.webhook_url:
            out.append("webhook")
        return tuple(out)

    def reply_destinations(self) -> tuple[str, ...]:
        return ("player_email",) if self.smtp_url and self.mail_from else ()

    def ticket_url(self, ticket: Ticket) -> str:
        """The player's page of a ticket (absolute with KB_PUBLIC_URL), key included."""
        path = f"/{ticket.lang}/tickets/{ticket.number}?key={tickets.access_key(self.secret_key, ticket.uid)}"
        return self.public_url.rstrip("/") + path


def sign(secret: str, body: bytes) -> str:
    """The X-KB-Signature value of a body: sha256=<hex HMAC-SHA256 with the shared secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    return bool(secret) and hmac.compare_digest(sign(secret, body), header or "")


# --- the messages --------------------------------------------------------------------------------------

def ticket_json(ticket: Ticket, shown: Sequence[tuple[str, str]] = ()) -> dict:
    """The webhook's JSON of a ticket: `id` is stable (de-duplicate on it)."""
    return {
        "id": ticket.uid, "number": ticket.number, "display_number": ticket.shown_number, "lang": ticket.lang,
        "category": ticket.category, "subject": ticket.subject, "description": ticket.description,
        "email": ticket.email, "status": ticket.status,
        "created_at": ticket.created_at.isoformat(timespec="seconds"),
        "suggested": list(ticket.suggested),
        "shown": [{"slug": slug, "title": title, "url": url} for slug, (title, url) in zip(ticket.suggested, shown)],
    }


# The player's e-mails, in their language (plain text; the HTML part is made from it).
PLAYER_TEXT = {
    "en": {
        "received_subject": "We received your request {n}",
        "received": "Hello,\n\nwe received your request {n} about “{subject}”. Our support team usually replies "
                    "within 1–2 hours.\n\nYou can follow it here:\n{url}\n\nPlease keep this e-mail: the link "
                    "opens your request without a password.",
        "reply_subject": "A reply to your request {n}",
        "reply": "Hello,\n\nour support team replied to your request {n} about “{subject}”:\n\n{reply}\n\n"
                 "The whole conversation:\n{url}",
        "sign": "Help Center",
    },
    "ko": {
        "received_subject": "문의 {n} 접수 안내",
        "received": "안녕하세요.\n\n“{subject}” 문의({n})가 접수되었습니다. 보통 1~2시간 안에 상담팀이 답변드려요."
                    "\n\n진행 상황은 여기에서 확인하실 수 있습니다:\n{url}\n\n이 메일을 보관해 주세요. 링크로 "
                    "비밀번호 없이 문의를 확인할 수 있습니다.",
        "reply_subject": "문의 {n}에 답변이 도착했어요",
        "reply": "안녕하세요.\n\n“{subject}” 문의({n})에 상담팀이 답변드렸습니다:\n\n{reply}\n\n전체 내용 보기:\n{url}",
        "sign": "고객센터",
    },
    "fa": {
        "received_subject": "درخواست {n} شما دریافت شد",
        "received": "سلام،\n\nدرخواست {n} شما درباره «{subject}» دریافت شد. تیم پشتیبانی معمولاً ظرف ۱ تا ۲ ساعت "
                    "پاسخ می‌دهد.\n\nوضعیت درخواست را اینجا ببینید:\n{url}\n\nاین ایمیل را نگه دارید: این پیوند "
                    "بدون رمز عبور درخواست شما را باز می‌کند.",
        "reply_subject": "پاسخ به درخواست {n} شما",
        "reply": "سلام،\n\nتیم پشتیبانی به درخواست {n} شما درباره «{subject}» پاسخ داد:\n\n{reply}\n\n"
                 "همه گفتگو:\n{url}",
        "sign": "مرکز راهنما",
    },
}


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip(">") or "helpcenter.invalid"


def _html(text: str, lang: str) -> str:
    """The plain text as a small HTML document, right to left for Persian, links clickable."""
    direction = "rtl" if lang == "fa" else "ltr"
    paragraphs = []
    for block in text.split("\n\n"):
        lines = []
        for line in block.split("\n"):
            safe = html.escape(line)
            if line.startswith(("http://", "https://")):
                safe = f'<a href="{safe}" dir="ltr">{safe}</a>'
            lines.append(safe)
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return (f'<!doctype html><html lang="{lang}" dir="{direction}"><body dir="{direction}" '
            f'style="font-family:sans-serif;line-height:1.6">{"".join(paragraphs)}</body></html>')


def player_email(delivery: Delivery, ticket: Ticket, reply: dict | None = None) -> EmailMessage:
    """The player's confirmation (`reply` None) or the notice of a reply, in the ticket's language."""
    words = PLAYER_TEXT.get(ticket.lang, PLAYER_TEXT["en"])
    n = ticket.shown_number
    fields = {"n": n, "subject": ticket.subject, "url": delivery.ticket_url(ticket)}
    msg = EmailMessage()
    if reply is None:
        msg["Subject"] = words["received_subject"].format(**fields)
        text = words["received"].format(**fields)
        msg["Message-ID"] = f"<ticket-{ticket.uid}-player@{_domain(delivery.mail_from)}>"
    else:
        msg["Subject"] = words["reply_subject"].format(**fields)
        text = words["reply"].format(**fields, reply=reply["body"])
        msg["Message-ID"] = f"<ticket-{ticket.uid}-reply-{reply['id']}@{_domain(delivery.mail_from)}>"
    text += f"\n\n— {words['sign']}"
    msg["From"] = formataddr((words["sign"], delivery.mail_from))
    msg["To"] = ticket.email
    msg["Date"] = formatdate(localtime=False)
    msg.set_content(text)
    msg.add_alternative(_html(text, ticket.lang), subtype="html")
    msg["Content-Language"] = ticket.lang  # after the content: setting it clears Content-* headers
    return msg


def support_email(delivery: Delivery, ticket: Ticket, shown: Sequence[tuple[str, str]]) -> EmailMessage:
    """The ticket for the support inbox: replying answers the player directly."""
    lines = [f"Ticket {ticket.shown_number} from the help center ({ticket.created_at:%Y-%m-%d %H:%M} UTC)", "",
             f"Language: {ticket.lang}", f"Category: {ticket.category}", f"Player: {ticket.email}",
             f"Subject: {ticket.subject}", "", ticket.description, ""]
    if shown:
        lines.append("Articles the player was shown before sending:")
        lines += [f"- {title}: {url}" for title, url in shown]
    else:
        lines.append("The player was shown no article before sending.")
    if delivery.public_url:
        lines += ["", f"Status updates: POST {delivery.public_url.rstrip('/')}/api/tickets/{ticket.number}/status "
                      "(signed with the webhook secret)"]
    msg = EmailMessage()
    msg["Subject"] = f"[{ticket.shown_number}] {ticket.subject}"
    msg["From"] = delivery.mail_from
    msg["To"] = delivery.support_to
    msg["Reply-To"] = ticket.email
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<ticket-{ticket.uid}@{_domain(delivery.mail_from)}>"
    msg["X-KB-Ticket"] = ticket.number
    msg["X-KB-Ticket-Id"] = ticket.uid
    msg.set_content("\n".join(lines))
    msg["Content-Language"] = ticket.lang
    return msg


# --- sending ---------------------------------------------------------------------------------------------

def send_email(smtp_url: str, msg: EmailMessage) -> None:
    """Send one message through the server of `KB_SMTP_URL` (smtp://, smtp+starttls://, smtps://)."""
    url = urllib.parse.urlsplit(smtp_url)
    host, user = url.hostname or "localhost", urllib.parse.unquote(url.username or "")
    password = urllib.parse.unquote(url.password or "")
    if url.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, url.port or (587 if url.scheme == "smtp+starttls" else 25), timeout=TIMEOUT)
    with server:
        if url.scheme == "smtp+starttls":
            server.starttls(context=ssl.create_default_context())
        if user:
            server.login(user, password)
        server.send_message(msg)


def post_webhook(url: str, secret: str, payload: dict) -> None:
    """POST the JSON, signed; anything but a 2xx answer is a failure to try again."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-KB-Signature": sign(secret, body),
        "X-KB-Delivery": payload["id"], "User-Agent": "helpcenter-webhook"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"HTTP {exc.code}") from None


class Deliverer:
    """Takes due messages from the outbox and sends them; `start()` runs it in a thread."""

    def __init__(self, db: Database, delivery: Delivery, articles: Articles | None = None,
                 interval: float = 1.0) -> None:
        self.db = db
        self.delivery = delivery
        self.articles = articles or (lambda slugs, lang: [])
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Send what is due now; returns how many messages were delivered."""
        sent = 0
        for message in outbox.claim(self.db):
            try:
                self._send(message)
            except Exception as exc:  # any failure: the message waits for its next try
                state = outbox.failed(self.db, message, f"{exc.__class__.__name__}: {exc}")
                level = logging.ERROR if state == "dead" else logging.WARNING
                log.log(level, "ticket message %s to %s failed (try %d, now %s): %s", message.id,
                        message.destination, message.attempts, state, exc)
            else:
                outbox.delivered(self.db, message)
                sent += 1
        return sent

    def _send(self, message: outbox.Message) -> None:
        ticket = tickets.by_id(self.db, message.ticket_id)
        if ticket is None:
            raise RuntimeError("the ticket is gone (pruned)")
        d = self.delivery
        if message.destination == "support_email":
            send_email(d.smtp_url, support_email(d, ticket, self.articles(ticket.suggested, ticket.lang)))
        elif message.destination == "player_email":
            reply = None
            if message.kind == "reply":
                reply = next((r for r in tickets.replies(self.db, ticket) if r["id"] == message.ref), None)
                if reply is None:
                    raise RuntimeError(f"reply {message.ref} is gone")
            send_email(d.smtp_url, player_email(d, ticket, reply))
        elif message.destination == "webhook":
            post_webhook(d.webhook_url, d.webhook_secret,
                         ticket_json(ticket, self.articles(ticket.suggested, ticket.lang)))
        else:
            raise RuntimeError(f"unknown destination {message.destination!r}")

    # -- the thread -------------------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was queued: look now instead of at the next interval."""
        self._wake.set()

    def start(self) -> Deliverer:
        self._thread = threading.Thread(target=self._run, name="kb-deliverer", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                due = outbox.next_due(self.db)
                pause = self.interval if due is None else min(max(0.05, (due - now()).total_seconds()), 5.0)
            except Exception:  # the database away: try again later, never let the thread die
                log.exception("ticket delivery failed")
                pause = 5.0
            self._wake.wait(pause)
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT + 5)
