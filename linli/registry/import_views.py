"""The import page of each registry kind: upload, read the dry-run report, then confirm.

The uploaded file is kept between the two steps in a private temporary directory under a random
name; the session holds that name together with the kind and the sub-district it was checked
for, so the confirming request can only import the very file its own session uploaded.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from linli.core.access import Access
from linli.core.http import access_of, is_htmx
from linli.registry import rules
from linli.registry.importers import (
    MAX_BYTES,
    ImportFileError,
    ImportReport,
    check_upload,
    import_records,
    importable_columns,
    key_field,
)
from linli.registry.views import _kind

SESSION_KEY = "linli_pending_import"
# A report of thousands of lines helps nobody; the first ones show what to fix.
SHOWN_ERRORS = 500
# Abandoned uploads are swept on the next upload after this long.
KEEP_SECONDS = 3600


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy string formatted at import time would freeze one language.
        self.fields["file"].help_text = _(
            "A .csv (UTF-8 or GB18030) or .xlsx file of at most %(size)s MB."
        ) % {"size": MAX_BYTES // (1024 * 1024)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload.name, upload.size or 0)
        except ImportFileError as exc:
            raise ValidationError(exc.message) from exc
        return upload


def _upload_dir() -> Path:
    directory = Path(tempfile.gettempdir()) / "linli-imports"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def _sweep(directory: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _keep(request: HttpRequest, kind: str, access: Access, name: str, content: bytes) -> str:
    """Keep a checked file for the confirming request; returns the token the form carries."""
    _discard(request)
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    (directory / token).write_bytes(content)
    request.session[SESSION_KEY] = {
        "token": token,
        "kind": kind,
        "subdistrict": access.subdistrict.pk if access.subdistrict else None,
        "name": PurePath(name).name,
    }
    return token


def _take(request: HttpRequest, kind: str, access: Access) -> tuple[str, bytes] | None:
    """The kept file's name and content, if the posted token is this session's, then forget it."""
    pending = request.session.get(SESSION_KEY)
    posted = request.POST.get("token", "")
    if (
        not pending
        or not secrets.compare_digest(str(pending.get("token", "")), posted)
        or pending.get("kind") != kind
        or pending.get("subdistrict") != (access.subdistrict.pk if access.subdistrict else None)
    ):
        return None
    path = _upload_dir() / pending["token"]
    try:
        content = path.read_bytes()
    except OSError:
        content = None
    _discard(request)
    return None if content is None else (pending["name"], content)


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and pending.get("token"):
        (_upload_dir() / PurePath(pending["token"]).name).unlink(missing_ok=True)


@login_required
def record_import(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    access: Access = access_of(request)
    access.require(rules.can_import(access) and rules.can_edit(access, kind))
    form = ImportUploadForm()
    report: ImportReport | None = None
    token = ""
    # A problem with the kept file, shown by the (then unbound) upload form.
    file_error = ""

    if request.method == "POST" and "confirm" in request.POST:
        kept = _take(request, kind, access)
        if kept is None:
            file_error = _("The checked file is no longer available; please upload it again.")
        else:
            name, content = kept
            try:
                report = import_records(access, kind, name, content, dry_run=False)
            except ImportFileError as exc:
                file_error = exc.message
            else:
                if report.committed:
                    messages.success(request, report.summary())
                    url = reverse("registry:list", kwargs={"kind": kind})
                    if is_htmx(request):
                        return HttpResponseClientRedirect(url)
                    return redirect(url)
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = import_records(access, kind, upload.name, content, dry_run=True)
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                if report.ok:
                    token = _keep(request, kind, access, upload.name, content)

    columns = importable_columns(spec)
    return render(
        request,
        "registry/import.html",
        {
            "kind": spec,
            "form": form,
            "report": report,
            "errors": report.errors[:SHOWN_ERRORS] if report else [],
            "hidden_errors": max(len(report.errors) - SHOWN_ERRORS, 0) if report else 0,
            "token": token,
            "file_error": file_error,
            "columns": columns,
            # A column name, set as code in the sentence that names it.
            "key": format_html("<code>{}</code>", key_field(spec)),
        },
    )
