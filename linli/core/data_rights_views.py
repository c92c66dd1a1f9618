"""Pages for personal-data rights (PIPL ch. IV): "My data" for everyone signed in (download,
consents), and the administrators' page that answers a person's request (export, correct,
erase), each through the verbs of ``core.services``."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock, consent, data_rights, rules
from linli.core.access import Access
from linli.core.data_rights import Person
from linli.core.forms import CorrectionForm, ErasureForm, PersonForm
from linli.core.http import download, page_access, show_errors, xlsx_response
from linli.core.services import correct_person, erase_person, export_person, set_consent
from linli.core.spreadsheets import add_sheet, new_workbook, workbook_bytes


def export_file(data: dict[str, Any], fmt: str, stem: str) -> HttpResponse:
    """The export as JSON (everything, as it is) or as a workbook with a sheet per section."""
    name = f"{stem}-{clock.today():%Y%m%d}"
    if fmt == "xlsx":
        workbook = new_workbook()
        for section in data["sections"]:
            keys = sorted({k for row in section["rows"] for k in row}, key=str)
            table = [keys] + [[_cell(row.get(k)) for k in keys] for row in section["rows"]]
            add_sheet(workbook, section["key"][:31], table)
        if not data["sections"]:
            add_sheet(workbook, "linli", [[_("linli holds no personal data about you here.")]])
        return xlsx_response(workbook_bytes(workbook), f"{name}.xlsx")
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return download(body, f"{name}.json", "application/json")


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """What linli keeps about the person (kinds, not values), the download, their consents."""
    access = page_access(request)
    assert access.user is not None and access.subdistrict is not None  # noqa: S101 - signed in
    return render(
        request,
        "core/my_data.html",
        {
            "holders": data_rights.holders(),
            "consents": consent.state_of(access.user, access.subdistrict),
        },
    )


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    data = export_person(access, Person(user=access.user))
    return export_file(data, request.GET.get("format", "json"), "linli-my-data")


@login_required
@require_POST
def my_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    given = request.POST.get("given") == "1"
    set_consent(page_access(request), purpose=purpose, given=given)
    if given:
        messages.success(request, _("Thank you: your consent is recorded."))
    else:
        messages.success(request, _("Your consent is withdrawn; this stops from now on."))
    return redirect("my_data")


def _admin(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_correct_person(access, Person()))
    return access


def _page(request: HttpRequest, lookup: PersonForm, **context: Any) -> HttpResponse:
    return render(request, "core/data_rights.html", {"lookup": lookup, **context})


def _refused(form: PersonForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        show_errors(exc, form)
    else:
        form.add_error(None, _("You may not do this for this person here."))


@login_required
def data_rights_page(request: HttpRequest) -> HttpResponse:
    """Find a person by account, mobile or e-mail, with the reason; see everything the
    sub-district holds about them (an audited export), download it, correct or erase it."""
    access = _admin(request)
    lookup = PersonForm(request.POST or None)
    if request.method != "POST" or not lookup.is_valid():
        return _page(request, lookup)
    person, reason = lookup.person(), lookup.cleaned_data["reason"]
    try:
        data = export_person(access, person, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        _refused(lookup, exc)
        return _page(request, lookup)
    if fmt := request.POST.get("download"):
        return export_file(data, fmt, "linli-personal-data")
    erase = ErasureForm(initial={**_who(lookup), "reason": reason})
    return _page(request, lookup, sections=_shown(data), erase=erase)


def _shown(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as the page shows it: per row, its personal attributes (each correctable
    on the spot) and the other facts."""
    shown = []
    for section in data["sections"]:
        holder = data_rights.HOLDERS[section["key"]]
        rows = []
        for row in section["rows"]:
            attributes = [{"attribute": a, "value": row[a.name]} for a in holder.attributes]
            facts = {k: v for k, v in row.items() if k != "id" and k not in section["fields"]}
            rows.append({"id": row["id"], "attributes": attributes, "facts": facts})
        shown.append({"holder": holder, "rows": rows})
    return shown


@login_required
@require_POST
def data_rights_correct(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            correct_person(
                access,
                form.person(),
                holder=data["holder"],
                row=data["row"],
                attribute=data["attribute"],
                value=data["value"],
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Corrected; the audit log has the reason."))
            return _page(request, PersonForm(initial=_who(form)))
    return _page(request, PersonForm(initial=_who(form)), correction=form)


@login_required
@require_POST
def data_rights_erase(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            touched = erase_person(access, form.person(), reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("Erased: %(rows)s records no longer name the person.")
                % {"rows": sum(touched.values())},
            )
            return redirect("data_rights")
    return _page(request, PersonForm(initial=_who(form)), erase=form, erase_failed=True)


def _who(form: PersonForm) -> dict[str, str]:
    return {k: form.data.get(k, "") for k in ("username", "phone", "email")}
