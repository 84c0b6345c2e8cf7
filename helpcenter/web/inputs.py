"""Everything a request brings in is made safe to keep before a view sees it: one entry point.

Query strings, form fields, cookies and JSON bodies (the API, the ticket form, the widget, the messenger
webhooks) are read through `SafeRequest` and `SafeJSON`: lone surrogates (valid JSON escapes, but not
text any database can store) become U+FFFD, NUL and the other control characters but tab and line
breaks are dropped, and JSON nested deeper than `MAX_DEPTH` is refused as a bad request, not a 500.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

MAX_DEPTH = 32  # of JSON objects and arrays; the API's bodies are 1 or 2 deep
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """`text` without control characters (tab, CR and LF stay) and with lone surrogates replaced."""
    if text.isprintable():  # the common case, at C speed
        return text
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def safe_value(value: Any, depth: int = 0) -> Any:
    """A parsed JSON value with every string (keys too) made safe; ValueError past `MAX_DEPTH`."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (dict, list)):
        if depth >= MAX_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            return {safe_text(k): safe_value(v, depth + 1) for k, v in value.items()}
        return [safe_value(v, depth + 1) for v in value]
    return value


def _safe_multidict(data) -> ImmutableMultiDict:
    return ImmutableMultiDict([(safe_text(k), safe_text(v) if isinstance(v, str) else v)
                               for k, v in data.items(multi=True)])


class SafeRequest(Request):
    """Flask's request, with its query string, form and cookies made safe (`safe_text`)."""

    @cached_property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        return _safe_multidict(super().args)

    @cached_property
    def form(self) -> ImmutableMultiDict:  # type: ignore[override]
        return _safe_multidict(super().form)

    @cached_property
    def cookies(self) -> ImmutableMultiDict:  # type: ignore[override]
        return _safe_multidict(super().cookies)


class SafeJSON(DefaultJSONProvider):
    """Flask's JSON, whose parsed bodies are made safe; too deep a body is a ValueError (400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return safe_value(super().loads(s, **kwargs))
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def init_app(app: Flask) -> None:
    app.request_class = SafeRequest
    app.json = SafeJSON(app)


_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def clean_id(value: str | None) -> str:
    """An anonymous id as the site and widget make them (letters, digits, - and _, at most 64), else ""."""
    return value if value and _ID.fullmatch(value) else ""


def session_id() -> str:
    """The reader's anonymous session id: `sid` (query or form), the `X-KB-Session` header or the
    `kb_sid` cookie that suggest.js keeps equal to localStorage; "" when none is well formed."""
    from flask import request

    for value in (request.args.get("sid"), request.form.get("sid") if request.method == "POST" else None,
                  request.headers.get("X-KB-Session"), request.cookies.get("kb_sid")):
        if value:
            return clean_id(value)
    return ""
