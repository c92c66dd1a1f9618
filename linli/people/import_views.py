"""The ledger import page: upload the 实有人口 · 实有房屋 ledger, read what a dry run would
change, then upload it again with the dry run unticked to write it (all rows or none)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from linli.core.http import page_access
from linli.people import rules
from linli.people.ledger import COLUMNS, LedgerReport, import_ledger
from linli.registry.importers import ImportFileError, check_upload, read_upload

SHOWN_ERRORS = 500


class LedgerForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would change"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload.name, upload.size or 0)
        except ImportFileError as exc:
            raise ValidationError(exc.message) from exc
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_ledger_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_import_ledger(access))
    form = LedgerForm(request.POST or None, request.FILES or None)
    report: LedgerReport | None = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_ledger(
                access,
                form.cleaned_data["file"].name,
                read_upload(form.cleaned_data["file"]),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
    status = (
        400
        if request.method == "POST" and (not form.is_valid() or (report and not report.ok))
        else 200
    )
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "report": report,
            "errors": report.errors[:SHOWN_ERRORS] if report else [],
            "columns": [names[0] for names in COLUMNS.values()],
        },
        status=status,
    )
