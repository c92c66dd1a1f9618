"""API plumbing: authentication (session or bearer token) and one error shape for every 4xx.

Every error body is ``{"code": ..., "message": ..., "fields": {field: [messages]}}`` with the
message in the caller's language, so clients need one parser for every failure.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
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


def _ninja_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        sources = ("query", "path", "form", "file", "header", "cookie")
        name = ".".join(loc[1:] if loc and loc[0] in sources else loc)
        fields.setdefault(name or "__all__", []).append(_translate_pydantic(error))
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


def _translate_pydantic(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return _("This value has the wrong type.")
    return _("This value is not valid.")


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="linli API",
        version="1",
        description="邻里 linli: sub-district service and governance platform.",
        auth=[BearerToken(), Session()],
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )

    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            error_body("invalid", _("Some fields are not valid."), _ninja_fields(exc.errors)),
        )

    @api.exception_handler(DjangoValidationError)
    def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                fields[name] = [str(e) for e in errors]
            message = _("Some fields are not valid.")
        else:
            message = " ".join(str(m) for m in exc.messages)
        return respond(request, 400, error_body("invalid", message, fields))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("unauthenticated", _("Please sign in.")))

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("You are not allowed to do this.")
        return respond(request, 403, error_body("forbidden", message))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = http_error(exc.status_code, str(exc))
        return respond(request, exc.status_code, error_body(code, message))

    # Schemas take their titles from verbose names when first imported: pin English so the
    # OpenAPI document does not depend on the language of whichever request came first.
    with translation.override("en"):
        from linli.cases.api import router as cases_router
        from linli.cockpit.api import router as cockpit_router
        from linli.enterprise.inspections.api import router as inspections_router
        from linli.enterprise.investment.api import router as investment_router
        from linli.enterprise.park.api import router as park_router
        from linli.enterprise.retention.api import router as retention_router
        from linli.frontoffice.bookings.api import router as bookings_router
        from linli.frontoffice.catalog.api import router as catalog_router
        from linli.frontoffice.events.api import router as events_router
        from linli.frontoffice.queue.api import router as queue_router
        from linli.lifecircle.api import router as lifecircle_router
        from linli.policies.api import router as policies_router
        from linli.registry.api import router as registry_router

    api.add_router("/v1/registry", registry_router)
    api.add_router("/v1/cases", cases_router)
    api.add_router("/v1/lifecircle", lifecircle_router)
    api.add_router("/v1/policies", policies_router)
    api.add_router("/v1/catalog", catalog_router)
    api.add_router("/v1/queue", queue_router)
    api.add_router("/v1/bookings", bookings_router)
    api.add_router("/v1/events", events_router)
    api.add_router("/v1/enterprise", retention_router)
    api.add_router("/v1/investment", investment_router)
    api.add_router("/v1/park", park_router)
    api.add_router("/v1/inspections", inspections_router)
    api.add_router("/v1/cockpit", cockpit_router)
    return api
