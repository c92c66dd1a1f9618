"""Request ids, session timeouts and the per-request tenant scope."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib.auth import get_user, logout
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_scopes import scope

from linli.core import logs
from linli.core.access import Access, allowed_subdistricts, memberships_of
from linli.core.http import LinliRequest
from linli.core.tokens import authenticate_token

SESSION_SUBDISTRICT = "linli_subdistrict"
API_PREFIX = "/api/"


class RequestIdMiddleware:
    """Give every request an id (a proxy's ``X-Request-ID`` if it sends a plain one): it is on
    every log line of the request and returned in the response's ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = logs.request_id.set(logs.new_request_id(request.headers.get("X-Request-ID")))
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = logs.request_id.get()
            return response
        finally:
            logs.request_id.reset(token)


class StorableJsonMiddleware:
    """An API body whose text no database column can hold (a NUL, a lone surrogate such as
    ``"\\ud800"``) is a 422 naming the field, before any of it reaches a verb. ninja turns
    every error of its JSON parser into one anonymous 400, so the check comes first, here."""

    METHODS = frozenset({"POST", "PUT", "PATCH"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in self.METHODS
            and request.path_info.startswith(API_PREFIX)
            and request.content_type == "application/json"
        ):
            found = _unstorable_field(request)
            if found is not None:
                from linli.core.api import error_body, pydantic_message

                message = pydantic_message({"type": "unstorable_text"})
                return JsonResponse(error_body("invalid", message, {found: [message]}), status=422)
        return self.get_response(request)


def _unstorable_field(request: HttpRequest) -> str | None:
    from linli.core.api import unstorable_text

    try:
        data = json.loads(request.body)
    except (ValueError, RequestDataTooBig):
        return None  # ninja answers these (400 not JSON, 413 too large)
    path = unstorable_text(data)
    return None if path is None else ".".join(str(part) for part in path) or "__all__"


class PrivatePagesMiddleware:
    """A page shown to a signed-in person holds their data: no cache keeps it (``no-store``),
    and signing out clears what the browser kept of the site (``Clear-Site-Data``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path_info == settings.LOGOUT_PATH and request.method == "POST":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class SessionTimeoutMiddleware:
    """Log out after idle time and after an absolute lifetime, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = int(time.time())
        if "_auth_user_id" in session:
            started = session.setdefault("linli_started", now)
            seen = session.get("linli_seen", now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                # Name the user, so the sign-out lands in the audit log like any other.
                request.user = get_user(request)
                logout(request)
            elif now - seen > 30:
                # Writing the session on every request would make each one a DB write.
                session["linli_seen"] = now
            elif "linli_seen" not in session:
                session["linli_seen"] = now
        return self.get_response(request)


class TenantMiddleware:
    """Resolve the acting user and sub-district, then run the request inside its scope.

    A bearer token authenticates API calls here (before any view), so the scope is active for
    token and session requests alike. Tokens count for the API only: a leaked token must not
    open the pages or the admin, which need a session (and TOTP where enrolled). Requests by
    anonymous visitors run without a scope; the few public views (tracking links, Open311)
    pick their sub-district explicitly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        response = self._handle(request, is_api)
        return json_error_shape(request, response) if is_api else response

    def _handle(self, plain: HttpRequest, is_api: bool) -> HttpResponse:
        request = cast(LinliRequest, plain)
        header = request.headers.get("Authorization", "")
        token_subdistrict = None
        if is_api and header.startswith("Bearer "):
            token = authenticate_token(header[7:].strip())
            if token is not None:
                request.user = token.user
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
                request.token_authenticated = True
                token_subdistrict = token.subdistrict
        user = request.user
        if not user.is_authenticated:
            request.access = Access.anonymous()
            request.subdistricts = []
            return self.get_response(request)

        memberships = memberships_of(user)  # type: ignore[arg-type]
        allowed = allowed_subdistricts(user, memberships)  # type: ignore[arg-type]
        current = token_subdistrict
        if current is None:
            wanted = request.session.get(SESSION_SUBDISTRICT)
            current = next((s for s in allowed if s.pk == wanted), None)
            if current is None and allowed:
                home = getattr(user, "home_subdistrict_id", None)
                current = next((s for s in allowed if s.pk == home), allowed[0])
        request.subdistricts = allowed
        request.access = Access.for_user(user, current, memberships)
        with scope(subdistrict=current):
            return self.get_response(request)


def json_error_shape(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Every 4xx of the API is ``{code, message, fields}``, also those made outside ninja's
    exception handlers (an unknown URL under /api/, a method the path does not allow)."""
    if not 400 <= response.status_code < 500:
        return response
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    from linli.core.api import error_body, http_error

    code, message = http_error(response.status_code, "")
    shaped = JsonResponse(error_body(code, message), status=response.status_code)
    if response.has_header("Allow"):
        shaped["Allow"] = response["Allow"]
    return shaped
