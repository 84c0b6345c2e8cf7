"""Editor accounts: Argon2id password hashes and a growing delay after repeated failed logins."""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from helpcenter.content.errors import KBError
from helpcenter.insights.db import Database, as_utc, editors, now

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
_DUMMY = _hasher.hash("timing-equalizer")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
FREE_ATTEMPTS = 3  # failures before any delay
MAX_DELAY = 15 * 60


class AccountError(KBError):
    """An editor account could not be created."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    email: str = ""
    retry_after: int = 0  # seconds to wait before the next attempt is even checked


def lockout_seconds(failures: int) -> int:
    """Delay after `failures` consecutive failed logins: none for the first few, then doubling."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY, 2 ** (failures - FREE_ATTEMPTS + 1))


def add_editor(db: Database, email: str, password: str) -> None:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(editors).values(email=email, password_hash=_hasher.hash(password),
                                                created_at=now(), failed_logins=0))
    except IntegrityError:
        raise AccountError(f"an editor with e-mail {email} exists already") from None


def authenticate(db: Database, email: str, password: str, at: dt.datetime | None = None) -> LoginResult:
    """Check a login. While an account is in its delay window the password is not even checked."""
    at = at or now()
    email = email.strip().lower()
    rows = db.rows(select(editors).where(editors.c.email == email))
    if not rows:
        try:  # same work as a real check, so timing does not reveal which e-mails exist
            _hasher.verify(_DUMMY, password)
        except VerificationError:
            pass
        return LoginResult(False)
    row = rows[0]
    wait = lockout_seconds(row["failed_logins"])
    last = as_utc(row["last_failed_at"])
    if wait and last and (at - last).total_seconds() < wait:
        return LoginResult(False, retry_after=int(wait - (at - last).total_seconds()) + 1)
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        failures = row["failed_logins"] + 1
        with db.engine.begin() as conn:
            conn.execute(update(editors).where(editors.c.id == row["id"]).values(
                failed_logins=failures, last_failed_at=at))
        return LoginResult(False, retry_after=lockout_seconds(failures))
    with db.engine.begin() as conn:
        values = {"failed_logins": 0, "last_failed_at": None}
        if _hasher.check_needs_rehash(row["password_hash"]):
            values["password_hash"] = _hasher.hash(password)
        conn.execute(update(editors).where(editors.c.id == row["id"]).values(**values))
    return LoginResult(True, email=email)
