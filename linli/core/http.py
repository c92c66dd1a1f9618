"""Request plumbing every app's pages and API share: who is acting, whether htmx asked for a
fragment, where a verb's errors go on a form, and file downloads.

These sit in core, not in ``linli.web``: every app's views use them, and the apps sit below the
web layer, which only assembles them (URLs, the API root, error handlers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast
from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from linli.core.access import Access
    from linli.core.models import Subdistrict

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


class LinliRequest(HttpRequest):
    """A request as linli's middleware leaves it (for type checking; never instantiated)."""

    access: Access
    subdistricts: list[Subdistrict]
    htmx: HtmxDetails
    token_authenticated: bool


def access_of(request: HttpRequest) -> Access:
    """Who is acting: the tenant middleware sets it on every request, signed in or not."""
    return cast(LinliRequest, request).access


def subdistricts_of(request: HttpRequest) -> list[Subdistrict]:
    """The sub-districts the person may switch between (none when signed out)."""
    return cast(LinliRequest, request).subdistricts


def page_access(request: HttpRequest) -> Access:
    """The ``Access`` for a page that works inside a sub-district: without one (a person with
    no membership anywhere) there is nothing to show."""
    access = access_of(request)
    if access.subdistrict is None:
        raise Http404
    return access


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def htmx_partial(request: HttpRequest, full: str, partial: str) -> str:
    """The template to render: the fragment when htmx swaps part of a page, else the page."""
    return partial if is_htmx(request) else full


def show_errors(
    exc: ValidationError, *forms_: forms.BaseForm, aliases: dict[str, str] | None = None
) -> None:
    """Put a verb's errors on the field they name (``extra.floor`` → ``extra_floor``,
    ``contact.phone`` → ``contact_phone``), or at the top of the first form."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        forms_[0].add_error(None, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        field = aliases.get(name, name.replace(".", "_"))
        target = next((f for f in forms_ if field in f.fields), None)
        if target is None:
            forms_[0].add_error(None, messages)
        else:
            target.add_error(field, messages)


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to save as ``filename`` (non-ASCII names survive, RFC 6266)."""
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, XLSX)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, PDF)


def uploaded_file(file: FieldFile, content_type: str) -> FileResponse:
    """A file someone uploaded, shown inline as its verified type. The sandbox keeps it from
    running script or reaching the page's origin should a browser ever render it as a document."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
