"""Log lines on stderr, one JSON object each by default (`KB_LOG_FORMAT=json|text`), and request ids.

A request's id is the `X-Request-ID` it came with when that is a sane token (a proxy's or a load
balancer's), else a new one; it is sent back in the response's `X-Request-ID` and carried by every log
line written while the request is handled (and by gunicorn's access line: `helpcenter.serving`), so an
operator can follow one request through the logs. Every line has `time` (UTC, ISO 8601), `level`,
`logger` and `message`; `request_id` when there is one, `pid`, and `exc_info` for a traceback (inside
the JSON string: one line stays one line).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import uuid

from flask import Flask, g, has_request_context, request

log = logging.getLogger(__name__)

HEADER = "X-Request-ID"
# what a proxy's ids look like (UUIDs, hex, ULIDs, "<host>-<n>"): nothing that could forge a log line
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")


def request_id() -> str | None:
    """The id of the request being handled, if any."""
    if has_request_context():
        return g.get("request_id")
    return None


def incoming_id(value: str | None) -> str:
    """The request's own id when it is a sane token, else a new one."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id; the fields a record carries in
    its `kb` attribute (`extra={"kb": {...}}`) are added as they are."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            out["request_id"] = rid
        out["pid"] = record.process
        fields = getattr(record, "kb", None)
        if isinstance(fields, dict):
            out.update({k: v for k, v in fields.items() if k not in out})
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """gunicorn's own line shape, with the request's id at the end when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s",
                         "[%Y-%m-%d %H:%M:%S %z]")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None) or request_id()
        return f"{line} [request_id={rid}]" if rid else line


def formatter(kind: str) -> logging.Formatter:
    """The formatter of a `KB_LOG_FORMAT` value."""
    return JsonFormatter() if kind == "json" else TextFormatter()


def configure(kind: str = "json", level: int | str = logging.INFO) -> logging.Handler:
    """Send every logger's records (the root's handler) to stderr in `kind`, from `level` up; Python's
    warnings too. Run again, it replaces its own handler (gunicorn reloads its settings on SIGHUP)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kb", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(kind))
    handler._kb = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return handler


def init_app(app: Flask) -> None:
    """Give every request an id (`g.request_id`) and send it back in `X-Request-ID`."""

    @app.before_request
    def _request_id() -> None:
        g.request_id = incoming_id(request.headers.get(HEADER))

    @app.after_request
    def _echo_request_id(response):
        rid = g.get("request_id")
        if rid:
            response.headers[HEADER] = rid
        return response
