"""One error hierarchy for the whole service; user-facing messages say what to do."""
from __future__ import annotations


def describe(exc: BaseException, limit: int = 200) -> str:
    """An exception as a log line or a message shows it: its class and the first line of its text (at
    most `limit` characters; an exception without text is its class alone)."""
    lines = str(exc).splitlines()
    first = lines[0][:limit] if lines else ""
    return f"{exc.__class__.__name__}: {first}" if first else exc.__class__.__name__


class KBError(Exception):
    """Base class for every error the service raises on purpose."""


class ContentError(KBError):
    """An article file breaks the content format (the message names file and rule)."""

    def __init__(self, path: str, rule: str) -> None:
        super().__init__(f"{path}: {rule}")
        self.path = path
        self.rule = rule


class IndexNotFound(KBError):
    """No built index where one was expected."""


class IndexMismatch(KBError):
    """The index on disk was built with a different encoder, analyzer or format."""


class ConfigError(KBError):
    """A setting has a value the service cannot use."""


class QueryError(KBError):
    """A search request is malformed (empty, too long, unknown language, bad limit)."""
