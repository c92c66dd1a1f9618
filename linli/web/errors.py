"""What a person gets when something goes wrong outside their input: a page or, under /api/,
the API's error shape, in their language, never a bare "Server Error (500)".

- The database is down or locked (SQLite waits ``timeout`` seconds for a writer, then gives
  up): 503 with ``Retry-After``. Nothing was written, so trying again is safe.
- A body over the size limit: 413.
- Anything else unexpected: 500 with the request id, which the log line of the traceback also
  carries (``linli.core.logs``).

These pages render without the database and without the context processors, which may be
exactly what failed.
"""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from linli.core import logs
from linli.core.api import error_body, http_error

logger = logging.getLogger("linli.errors")

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def database_unavailable(exc: BaseException | None) -> bool:
    """A database that cannot be reached, or that stayed locked, as opposed to a bad query."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(
        sign in text
        for sign in (
            "database is locked",
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "timeout",
            "the database system is",
            "unable to open database",
        )
    )


def _respond(
    request: HttpRequest, status: int, code: str, title: str, message: str
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        body = error_body(code, message)
        if status >= 500:
            body["error_id"] = logs.request_id.get()
        return JsonResponse(body, status=status)
    page = render_to_string(
        "error.html",
        {"title": title, "message": message, "status": status, "error_id": logs.request_id.get()},
    )
    return HttpResponse(page, status=status)


def _framed(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """403 and 404 in the site's frame (menu, language), or the API's error shape."""
    if request.path.startswith(API_PREFIX):
        code, text = http_error(status, message)
        return JsonResponse(error_body(code, text), status=status)
    return render(request, "http_error.html", {"title": title, "message": message}, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception is not None and str(exception) else ""
    return _framed(
        request,
        403,
        _("Not for your role"),
        reason or _("You are not allowed to do this."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _framed(
        request,
        404,
        _("Not found"),
        _(
            "There is nothing here, or nothing you may see in this sub-district. If a link "
            "brought you here, it may be out of date."
        ),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    code, message = http_error(400, "")
    return _respond(request, 400, code, _("Bad request"), message)


def too_large(request: HttpRequest) -> HttpResponse:
    return _respond(
        request,
        413,
        "too_large",
        _("Too large"),
        _("What was sent is larger than linli accepts. Send less at a time."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.warning("database unavailable: %s", exc)
        response = _respond(
            request,
            503,
            "unavailable",
            _("Please try again in a moment"),
            _(
                "linli is busy or its database cannot be reached just now. Nothing was saved; "
                "please try again in a minute."
            ),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, DatabaseError):
        logger.error("database error", exc_info=exc)
    return _respond(
        request,
        500,
        "server_error",
        _("Something went wrong"),
        _(
            "Something went wrong on our side, and it has been logged. If it happens again, "
            "tell the administrator this number: %(id)s."
        )
        % {"id": logs.request_id.get()},
    )
