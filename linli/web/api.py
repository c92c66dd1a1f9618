"""The API root: one NinjaAPI under /api/, with the error handlers every router shares and the
routers the apps declare (``LinliAppConfig.api_prefix``), mounted under /api/v1/."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from linli.core.api import BearerToken, ErrorOut, Session, error_body, http_error, ninja_fields
from linli.core.appconfig import LinliAppConfig

ERROR_RESPONSES = {
    400: "The request is not valid (the message says why, the fields which).",
    401: "Not signed in: send a bearer token or a session cookie.",
    403: "The caller's role may not do this.",
    404: "Nothing with that id in the caller's sub-district (or not visible to them).",
    413: "The body is larger than linli accepts.",
    422: "A parameter or field has the wrong type, is out of range or missing.",
}


class LinliAPI(NinjaAPI):
    """The API whose OpenAPI document lists every error status an operation can answer, in
    the one error shape (``ErrorOut``), so clients and the fuzzer know what to expect."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, methods in schema["paths"].items():
            for operation in methods.values():
                for status in _error_statuses(path, operation):
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": ERROR_RESPONSES[status],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        schema["components"]["schemas"].setdefault("ErrorOut", ErrorOut.model_json_schema())
        return schema


def _error_statuses(path: str, operation: dict[str, Any]) -> list[int]:
    statuses = []
    if operation.get("security"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if operation.get("parameters") or operation.get("requestBody"):
        # 422: a value of the wrong type or out of range; 400: one the verb refuses (an end
        # before the start, a code that names nothing).
        statuses += [400, 422]
    if operation.get("requestBody"):
        statuses.append(413)
    return statuses


def build_api() -> NinjaAPI:
    api = LinliAPI(
        title="linli API",
        version="1",
        description=(
            "邻里 linli: sub-district service and governance platform. Authenticate with a "
            "bearer token (`Authorization: Bearer ll_…`) made on the API tokens page "
            "(/accounts/tokens/); every error answers `{code, message, fields}`."
        ),
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
            error_body("invalid", _("Some fields are not valid."), ninja_fields(exc.errors)),
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

    @api.exception_handler(RequestDataTooBig)
    def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(
            request,
            413,
            error_body(
                "too_large", _("What was sent is larger than linli accepts. Send less at a time.")
            ),
        )

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
        for config in apps.get_app_configs():
            if isinstance(config, LinliAppConfig) and config.api_prefix is not None:
                router = import_string(f"{config.name}.api.router")
                api.add_router(f"/v1/{config.api_prefix}", router)
    return api


api = build_api()
