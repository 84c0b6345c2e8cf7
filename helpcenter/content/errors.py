"""One error hierarchy for the whole service; user-facing messages say what to do."""
from __future__ import annotations


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
