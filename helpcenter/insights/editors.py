"""Editor accounts: Argon2id password hashes, a password policy, login throttling that cannot lock an
editor out from another address, and sessions that end at logout or when the account is removed.

Failed logins are counted per (address, account) and per address, never per account alone: an
attacker guessing an editor's password from one address waits longer and longer there, while the
editor logs in from their own address as usual. Unknown and known accounts are answered alike (the
same work, the same counts, the same delays), so the answers tell nobody which e-mails are editors.
Counters are raised in one UPDATE each, so concurrent failures are all counted.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from helpcenter.content.errors import KBError
from helpcenter.insights.db import Database, as_utc, editors, login_failures, now

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
_DUMMY = _hasher.hash("timing-equalizer")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" (common passwords and words score 0-2)
FREE_ATTEMPTS = 3  # failures from one address on one account before any delay
FREE_ATTEMPTS_PER_ADDRESS = 20  # failures from one address over all accounts before any delay
MAX_DELAY = 15 * 60


class AccountError(KBError):
    """An editor account could not be created."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    email: str = ""
    editor_id: int = 0
    epoch: int = 0  # the account's session epoch, to keep in the session
    retry_after: int = 0  # seconds to wait before the next attempt is even checked


def lockout_seconds(failures: int, free: int = FREE_ATTEMPTS) -> int:
    """Delay after `failures` consecutive failed logins: none for the first `free`, then doubling."""
    if failures < free:
        return 0
    return min(MAX_DELAY, 2 ** (failures - free + 1))


def password_problem(password: str, email: str = "") -> str:
    """What is wrong with a new password, or "" (length, then zxcvbn's estimate with the e-mail as a hint)."""
    from zxcvbn import zxcvbn

    if len(password.strip()) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters other than spaces"
    result = zxcvbn(password[:100], user_inputs=[email, email.split("@")[0]])
    if result["score"] < MIN_STRENGTH:
        hint = result["feedback"]["warning"] or "it is too easy to guess"
        return f"the password is too weak ({hint.rstrip('.').lower()}); a few unrelated words make a strong one"
    return ""


def add_editor(db: Database, email: str, password: str) -> None:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(editors).values(email=email, password_hash=_hasher.hash(password), created_at=now()))
    except IntegrityError:
        raise AccountError(f"an editor with e-mail {email} exists already") from None


def remove_editor(db: Database, email: str) -> bool:
    """Delete an account (its sessions end with it); False when there is none."""
    with db.engine.begin() as conn:
        return conn.execute(delete(editors).where(editors.c.email == email.strip().lower())).rowcount > 0


def session_valid(db: Database, editor_id: int, epoch: int) -> bool:
    """Whether a session of this account and epoch still stands (not logged out, account not removed)."""
    rows = db.rows(select(editors.c.session_epoch).where(editors.c.id == editor_id))
    return bool(rows) and rows[0]["session_epoch"] == epoch


def end_sessions(db: Database, editor_id: int) -> None:
    """End every session of an account (logout)."""
    with db.engine.begin() as conn:
        conn.execute(update(editors).where(editors.c.id == editor_id)
                     .values(session_epoch=editors.c.session_epoch + 1))


def _key(kind: str, secret: str, *parts: str) -> str:
    digest = hmac.new(secret.encode(), "\0".join(parts).encode("utf-8", "replace"), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:64]}"


def _failures(db: Database, key: str) -> tuple[int, dt.datetime | None]:
    rows = db.rows(select(login_failures).where(login_failures.c.key == key))
    return (rows[0]["failures"], as_utc(rows[0]["last_failed_at"])) if rows else (0, None)


def _count_failure(db: Database, key: str, at: dt.datetime) -> None:
    """One more failure for `key`, in one statement (concurrent failures are all counted)."""
    for _ in range(3):
        with db.engine.begin() as conn:
            done = conn.execute(update(login_failures).where(login_failures.c.key == key)
                                .values(failures=login_failures.c.failures + 1, last_failed_at=at)).rowcount
        if done:
            return
        try:
            with db.engine.begin() as conn:
                conn.execute(insert(login_failures).values(key=key, failures=1, last_failed_at=at))
            return
        except IntegrityError:
            continue  # another request inserted it meanwhile: count on it


def authenticate(db: Database, email: str, password: str, address: str = "", secret: str = "",
                 at: dt.datetime | None = None) -> LoginResult:
    """Check a login from `address`. While this address is in a delay window (for this account, or for
    all its attempts) the password is not even checked.

    Args:
        secret: keys the hashes the counters are kept under (the app's secret key).
    """
    at = at or now()
    email = email.strip().lower()
    pair, per_address = _key("pair", secret, address, email), _key("addr", secret, address)
    waits = []
    for key, free in ((pair, FREE_ATTEMPTS), (per_address, FREE_ATTEMPTS_PER_ADDRESS)):
        failures, last = _failures(db, key)
        wait = lockout_seconds(failures, free)
        if wait and last and (at - last).total_seconds() < wait:
            waits.append(int(wait - (at - last).total_seconds()) + 1)
    if waits:
        return LoginResult(False, retry_after=max(waits))
    rows = db.rows(select(editors).where(editors.c.email == email))
    ok = False
    try:  # the same work for an unknown e-mail, so timing does not tell which e-mails exist
        ok = _hasher.verify(rows[0]["password_hash"] if rows else _DUMMY, password) and bool(rows)
    except (VerificationError, InvalidHashError):
        pass
    if not ok:
        for key in (pair, per_address):
            _count_failure(db, key, at)
        failures, _ = _failures(db, pair)
        return LoginResult(False, retry_after=lockout_seconds(failures))
    row = rows[0]
    with db.engine.begin() as conn:
        conn.execute(delete(login_failures).where(login_failures.c.key == pair))
        if _hasher.check_needs_rehash(row["password_hash"]):
            conn.execute(update(editors).where(editors.c.id == row["id"])
                         .values(password_hash=_hasher.hash(password)))
    return LoginResult(True, email=email, editor_id=row["id"], epoch=row["session_epoch"])
