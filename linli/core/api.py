"""API plumbing every router shares: authentication (session or bearer token) and one error
shape for every 4xx (the API root that mounts the routers is ``linli.web.api``).

Every error body is ``{"code": ..., "message": ..., "fields": {field: [messages]}}`` with the
message in the caller's language, so clients need one parser for every failure.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth


class BearerToken(HttpBearer):
    """The tenant middleware has already resolved the token; this only confirms it did."""

    openapi_description = "Bearer token issued in linli (prefix ll_)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if getattr(request, "token_authenticated", False):
            return request.user
        return None


class Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if getattr(request, "token_authenticated", False):
            return None
        return super().authenticate(request, key)


# The one error shape of the API (see ``error_body``), for the responses routers declare.
class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def ninja_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        sources = ("query", "path", "form", "file", "header", "cookie")
        name = ".".join(loc[1:] if loc and loc[0] in sources else loc)
        fields.setdefault(name or "__all__", []).append(pydantic_message(error))
    return fields


ERROR_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


def http_error(status: int, message: str) -> tuple[str, str]:
    """Code and message in the caller's language for an error raised by ninja or Django."""
    known = {
        # ninja's own messages, which are not translatable
        "Cannot parse request body": _("The request body is not valid JSON."),
        "CSRF check Failed": _(
            "The request has no valid CSRF token. Reload the page, or use a bearer token."
        ),
    }
    defaults = {
        404: _("Not found."),
        405: _("This method is not allowed here."),
    }
    return (
        ERROR_CODES.get(status, "error"),
        known.get(message) or defaults.get(status) or message or _("The request failed."),
    )


def pydantic_message(error: Any) -> str:
    """A pydantic error in the reader's language (ninja's and pydantic's own are English)."""
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "unstorable_text":
        return _("This text contains a character that cannot be stored (a NUL or a broken one).")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return _("This number is out of range.")
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        return _("At most %(limit)s characters.") % {"limit": limit}
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return _("This value has the wrong type.")
    return _("This value is not valid.")


def unstorable_text(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in parsed JSON a string holds what no database column takes: a NUL (PostgreSQL
    refuses it) or a lone UTF-16 surrogate (it cannot be encoded at all)."""
    if isinstance(value, str):
        if "\x00" in value:
            return path
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if (found := unstorable_text(item, (*path, key))) is not None:
            return found
    return None
