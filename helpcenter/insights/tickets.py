"""Tickets: what players send from the ticket form when the knowledge base did not answer them."""
from __future__ import annotations

import json
import secrets
from typing import Iterable

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from helpcenter.content.redact import mask_for_ticket
from helpcenter.insights.db import Database, now, tickets


def add_ticket(db: Database, *, lang: str, category: str, subject: str, description: str, email: str,
               session: str = "", suggested: Iterable[str] = ()) -> str:
    """Store a ticket and return its number, like "#482913".

    The subject and description are kept as an agent needs them (`mask_for_ticket`): card and IBAN
    numbers down to their last four characters, identity and passport numbers masked.
    """
    subject, description = mask_for_ticket(subject), mask_for_ticket(description)
    for _ in range(20):
        number = f"#{secrets.randbelow(900000) + 100000}"
        try:
            with db.engine.begin() as conn:
                conn.execute(insert(tickets).values(
                    number=number, ts=now(), session=session, lang=lang, category=category, subject=subject,
                    description=description, email=email, status="open", suggested=json.dumps(list(suggested))))
            return number
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a ticket number")
