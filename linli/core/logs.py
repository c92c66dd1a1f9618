"""Structured logs with the request id: every line logged while a request is handled carries the
id that the response returns in ``X-Request-ID`` (and that a 500 page shows), so an operator can
find the traceback a user reports."""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")

# An id a proxy hands in is kept only if it is short and plain (it ends up in log lines).
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def new_request_id(given: str | None = None) -> str:
    if given and GIVEN_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex[:16]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
