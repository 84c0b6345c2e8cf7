"""The outbox: each message a ticket owes someone, stored in the same transaction as the ticket and sent
later, off the request path, until it is delivered.

A row is one message to one destination (the support inbox, the player's inbox, the webhook). Senders
claim a due row with a compare-and-set UPDATE that only one of them can win, whatever the number of
worker processes or replicas on the database: the winner holds it for `LEASE` seconds. A failure puts
the row back with an exponential back-off; after `MAX_ATTEMPTS` it is dead (the admin shows it, with a
retry button). A sender that dies while holding a row loses its lease, and the row is sent again: a
message that may thus arrive twice carries a stable id the receiver de-duplicates on (the ticket's uid
in the webhook's JSON, the Message-ID of an e-mail).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from helpcenter.insights.db import Database, as_utc, now, outbox

log = logging.getLogger(__name__)

DESTINATIONS = ("support_email", "player_email", "webhook")
LEASE = 120.0  # seconds a claimed row is the claimer's alone (an SMTP or HTTP call is bounded well below)
FIRST_RETRY = 15.0  # seconds; doubled after each failure
MAX_RETRY = 3600.0
MAX_ATTEMPTS = 16  # about 12 hours of tries, then dead until someone presses retry


@dataclass(frozen=True)
class Message:
    id: int
    ticket_id: int
    destination: str
    kind: str  # ticket | reply
    ref: int  # the reply's id (kind reply)
    attempts: int  # including this one


def enqueue(conn: Connection, ticket_id: int, destination: str, kind: str = "ticket", ref: int = 0) -> None:
    """Owe a message (inside the caller's transaction, so it exists exactly when the ticket does)."""
    conn.execute(insert(outbox).values(ticket_id=ticket_id, destination=destination, kind=kind, ref=ref,
                                       state="pending", attempts=0, next_at=now(), created_at=now()))


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones."""
    return min(MAX_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def claim(db: Database, limit: int = 20, at: dt.datetime | None = None) -> list[Message]:
    """Due rows (pending and due, or held past their lease) that this caller won, at most `limit`."""
    at = at or now()
    due = db.rows(select(outbox.c.id, outbox.c.state, outbox.c.attempts).where(
        outbox.c.state.in_(("pending", "sending")), outbox.c.next_at <= at).order_by(outbox.c.id).limit(limit))
    won = []
    for row in due:
        with db.engine.begin() as conn:
            taken = conn.execute(
                # compare and set: every claim raises `attempts`, so of two senders that read the same
                # row only the first UPDATE matches
                update(outbox).where(outbox.c.id == row["id"], outbox.c.state == row["state"],
                                     outbox.c.attempts == row["attempts"])
                .values(state="sending", next_at=at + dt.timedelta(seconds=LEASE), attempts=outbox.c.attempts + 1)
                .returning(outbox.c.id, outbox.c.ticket_id, outbox.c.destination, outbox.c.kind, outbox.c.ref,
                           outbox.c.attempts)).first()
        if taken is not None:  # else another sender won it
            won.append(Message(*taken))
    return won


def delivered(db: Database, message: Message) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == message.id).values(
            state="delivered", delivered_at=now(), last_error=""))


def failed(db: Database, message: Message, error: str) -> str:
    """Put a message back for a later try, or dead after `MAX_ATTEMPTS`; returns the new state."""
    state = "dead" if message.attempts >= MAX_ATTEMPTS else "pending"
    with db.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == message.id).values(
            state=state, last_error=error[:1000],
            next_at=now() + dt.timedelta(seconds=backoff(message.attempts))))
    return state


def retry(db: Database, ticket_id: int) -> int:
    """Send a ticket's dead (and waiting) messages again now; returns how many."""
    with db.engine.begin() as conn:
        return conn.execute(update(outbox).where(outbox.c.ticket_id == ticket_id,
                                                 outbox.c.state.in_(("dead", "pending")))
                            .values(state="pending", attempts=0, next_at=now())).rowcount


def depth(db: Database) -> int:
    """Messages not yet delivered (nor dead)."""
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.state.in_(("pending", "sending")))).scalar_one())


def next_due(db: Database) -> dt.datetime | None:
    """When the next message is due (a sender sleeps until then)."""
    with db.engine.connect() as conn:
        value = conn.execute(select(func.min(outbox.c.next_at)).where(
            outbox.c.state.in_(("pending", "sending")))).scalar_one()
    return as_utc(value)


def states(db: Database, ticket_ids: list[int]) -> dict[int, list[dict]]:
    """Each ticket's messages: destination, kind, state, attempts, last error, delivered when."""
    out: dict[int, list[dict]] = {t: [] for t in ticket_ids}
    if not ticket_ids:
        return out
    for row in db.rows(select(outbox).where(outbox.c.ticket_id.in_(ticket_ids)).order_by(outbox.c.id)):
        out[row["ticket_id"]].append(row)
    return out
