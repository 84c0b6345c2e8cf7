"""Tickets: what players send from the ticket form when the knowledge base did not answer them, the
help desk's replies, and the messages each owes the support team and the player (`insights.outbox`)."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from helpcenter.content.redact import mask_for_ticket
from helpcenter.insights import outbox
from helpcenter.insights.db import Database, as_utc, now, ticket_replies, tickets

STATUSES = ("received", "in_progress", "answered", "closed")


@dataclass(frozen=True)
class Ticket:
    id: int
    uid: str
    number: str  # digits; shown as "#" + number
    lang: str
    category: str
    subject: str
    description: str
    email: str
    status: str
    created_at: object
    updated_at: object
    suggested: tuple[str, ...]
    session: str = ""
    visit: str = ""

    @property
    def shown_number(self) -> str:
        return f"#{self.number}"

    @classmethod
    def from_row(cls, row: dict) -> Ticket:
        return cls(row["id"], row["uid"], row["number"], row["lang"], row["category"], row["subject"],
                   row["description"], row["email"], row["status"], as_utc(row["ts"]), as_utc(row["updated_at"]),
                   tuple(json.loads(row["suggested"] or "[]")), row["session"], row["visit"])


def access_key(secret: str, uid: str) -> str:
    """The key in the player's link to their ticket's page: derived from the ticket's uid with the app's
    secret, so it is never stored (a copy of the database does not open anyone's ticket)."""
    return hmac.new(secret.encode(), f"ticket:{uid}".encode(), hashlib.sha256).hexdigest()[:32]


def key_ok(secret: str, ticket: Ticket, key: str) -> bool:
    return hmac.compare_digest(access_key(secret, ticket.uid), key or "")


def add_ticket(db: Database, *, lang: str, category: str, subject: str, description: str, email: str,
               session: str = "", visit: str = "", suggested: Iterable[str] = (),
               destinations: Sequence[str] = ()) -> Ticket:
    """Store a ticket and the messages it owes each of `destinations` (in one transaction); returns it.

    The subject and description are kept as an agent needs them (`mask_for_ticket`): card and IBAN
    numbers down to their last four characters, identity and passport numbers masked.
    """
    subject, description = mask_for_ticket(subject), mask_for_ticket(description)
    for _ in range(20):
        number = str(secrets.randbelow(900000) + 100000)
        values = dict(uid=uuid.uuid4().hex, number=number, ts=now(), updated_at=now(), session=session, visit=visit,
                      lang=lang, category=category, subject=subject, description=description, email=email,
                      status="received", suggested=json.dumps(list(suggested)))
        try:
            with db.engine.begin() as conn:
                ticket_id = conn.execute(insert(tickets).values(**values).returning(tickets.c.id)).scalar_one()
                for destination in destinations:
                    outbox.enqueue(conn, ticket_id, destination)
        except IntegrityError:
            if find(db, number) is None:
                raise  # not the number: something else is wrong, say so
            continue  # the number was taken: draw another
        return Ticket.from_row({**values, "id": ticket_id})
    raise RuntimeError("could not allocate a ticket number")


def find(db: Database, number: str) -> Ticket | None:
    """A ticket by its number ("482913" or "#482913")."""
    rows = db.rows(select(tickets).where(tickets.c.number == number.lstrip("#")))
    return Ticket.from_row(rows[0]) if rows else None


def by_id(db: Database, ticket_id: int) -> Ticket | None:
    rows = db.rows(select(tickets).where(tickets.c.id == ticket_id))
    return Ticket.from_row(rows[0]) if rows else None


def replies(db: Database, ticket: Ticket) -> list[dict]:
    """The help desk's replies to a ticket, oldest first: {"id", "ts", "body"}."""
    rows = db.rows(select(ticket_replies).where(ticket_replies.c.ticket_id == ticket.id).order_by(ticket_replies.c.id))
    return [{"id": r["id"], "ts": as_utc(r["ts"]), "body": r["body"]} for r in rows]


def report_status(db: Database, ticket: Ticket, status: str, reply: str = "",
                  notify: Sequence[str] = ()) -> int | None:
    """What the help desk reports: a new status and, when `reply` is not empty, a reply the player sees
    (and is sent to `notify`). The same reply reported twice is kept once. Returns the reply's id.

    Raises:
        ValueError: for a status not in `STATUSES`.
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    reply = reply.strip()
    with db.engine.begin() as conn:
        conn.execute(update(tickets).where(tickets.c.id == ticket.id).values(status=status, updated_at=now()))
        if not reply:
            return None
        last = conn.execute(select(ticket_replies.c.body).where(ticket_replies.c.ticket_id == ticket.id)
                            .order_by(ticket_replies.c.id.desc()).limit(1)).scalar()
        if last == reply:  # a retried report: the player already has it
            return None
        reply_id = conn.execute(insert(ticket_replies).values(ticket_id=ticket.id, ts=now(), body=reply)
                                .returning(ticket_replies.c.id)).scalar_one()
        for destination in notify:
            outbox.enqueue(conn, ticket.id, destination, "reply", reply_id)
        return reply_id


def listing(db: Database, status: str | None = None, lang: str | None = None, category: str | None = None,
            limit: int = 200) -> list[Ticket]:
    """Tickets newest first, filtered."""
    q = select(tickets)
    for column, value in ((tickets.c.status, status), (tickets.c.lang, lang), (tickets.c.category, category)):
        if value:
            q = q.where(column == value)
    return [Ticket.from_row(r) for r in db.rows(q.order_by(tickets.c.id.desc()).limit(limit))]
