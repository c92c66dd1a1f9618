"""Lift installation pages: the list, a project (consent live, stages, money, documents), the
statistics with their Excel export, the map layer, and the public progress page with its QR
code for the stairwell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, show_errors, uploaded_file, xlsx_response
from linli.core.qr import qr_svg
from linli.core.roles import ADMINS
from linli.core.spreadsheets import rows_to_xlsx
from linli.governance.lifts import rules, services, statistics
from linli.governance.lifts.forms import (
    AdvanceForm,
    CostForm,
    DocumentForm,
    MediationForm,
    OpenForm,
    VoteForm,
)
from linli.governance.lifts.map_layers import lift_layer
from linli.governance.lifts.models import Document, Project, Stage
from linli.people.models import Unit
from linli.people.rules import committees_of


def _units_to_open(access: Access) -> Any:
    units = Unit.objects.filter(building__has_lift=False, lift_projects__isnull=True)
    if not (access.has_any(ADMINS) or rules.department_handler(access)):
        units = units.filter(building__quarter__committee_id__in=committees_of(access))
    return units.select_related("building__quarter").order_by(
        "building__quarter__name", "building__number", "number"
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_list(access))
    projects = services.projects_for(access).order_by(
        "unit__building__quarter__name", "unit__building__number", "unit__number"
    )
    stage = request.GET.get("stage", "")
    if stage.isdigit():
        projects = projects.filter(stage=int(stage))
    may_open = rules.may_open(access)
    form = OpenForm(units=_units_to_open(access)) if may_open else None
    return render(
        request,
        "lifts/list.html",
        {"projects": projects, "stages": Stage.choices, "stage": stage, "form": form},
    )


@login_required
@require_POST
def open_project(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_open(access))
    form = OpenForm(request.POST, units=_units_to_open(access))
    if form.is_valid():
        try:
            project = services.open_project(
                access, form.cleaned_data["unit"], opened_on=form.cleaned_data["opened_on"]
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            return redirect("lifts:project", pk=project.pk)
    projects = services.projects_for(access)
    return render(
        request,
        "lifts/list.html",
        {"projects": projects, "stages": Stage.choices, "stage": "", "form": form},
        status=400,
    )


def _project(access: Access, pk: int, action: str = "view") -> Project:
    project = get_object_or_404(
        Project.objects.visible_to(access).select_related("unit__building__quarter"), pk=pk
    )
    if action != "view" and not rules.may_record(access, project):
        raise PermissionDenied
    return project


def _page(
    request: HttpRequest,
    access: Access,
    project: Project,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    may_record = rules.may_record(access, project)
    voters = project.voters.prefetch_related("persons")
    votes = services.latest_votes(project, project.consent_decided_on or today)
    dates = services.stage_dates(project)
    days = services.days_per_stage(project, today)
    stages = [
        (stage, dates.get(stage.value), days.get(stage.value), stage.value <= project.stage)
        for stage in Stage
    ]
    blank: dict[str, forms.Form] = {}
    if may_record:
        blank = {
            "vote_form": VoteForm(voters=voters, initial={"on": today}),
            "advance_form": AdvanceForm(initial={"on": today}),
            "cost_form": CostForm(
                initial={
                    "on": today,
                    "lifts": project.lifts,
                    "estimated_cost": project.estimated_cost,
                }
            ),
            "mediation_form": MediationForm(initial={"on": today}),
            "document_form": DocumentForm(),
        }
    context = {
        "project": project,
        "tally": services.tally(project, today),
        "voters": [(v, votes.get(v.pk)) for v in voters],
        "objections": project.votes.filter(choice="object")
        .select_related("voter")
        .prefetch_related("voter__persons"),
        "mediations": project.mediations.all(),
        "documents": project.documents.all(),
        "stages": stages,
        "next_stage": Stage(project.stage + 1) if project.stage < Stage.IN_SERVICE else None,
        "shares": services.cost_shares(project),
        "may_record": may_record,
        **blank,
        **(bound or {}),
    }
    return render(request, "lifts/project.html", context, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    return _page(request, access, _project(access, pk))


def _post(request: HttpRequest, pk: int, name: str, form: forms.Form, act: Any) -> HttpResponse:
    access = page_access(request)
    found = _project(access, pk, "change")
    if form.is_valid():
        try:
            act(access, found, form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            return redirect("lifts:project", pk=found.pk)
    found.refresh_from_db()
    return _page(request, access, found, {name: form}, status=400)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _project(access, pk, "change")
    form = VoteForm(request.POST, voters=found.voters.all())
    return _post(
        request,
        pk,
        "vote_form",
        form,
        lambda a, p, d: services.record_vote(
            a, d["voter"], choice=d["choice"], on=d["on"], channel=d["channel"], reason=d["reason"]
        ),
    )


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "advance_form",
        AdvanceForm(request.POST),
        lambda a, p, d: services.advance(
            a, p, on=d["on"], note=d["note"], entered_service_on=d["entered_service_on"]
        ),
    )


@login_required
@require_POST
def cost(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "cost_form",
        CostForm(request.POST),
        lambda a, p, d: services.record_cost(
            a, p, estimated_cost=d["estimated_cost"], lifts=d["lifts"], on=d["on"]
        ),
    )


@login_required
@require_POST
def mediation(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "mediation_form",
        MediationForm(request.POST),
        lambda a, p, d: services.log_mediation(a, p, **d),
    )


@login_required
@require_POST
def document(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "document_form",
        DocumentForm(request.POST, request.FILES),
        lambda a, p, d: services.add_document(
            a, p, kind=d["kind"], title=d["title"], upload=d["file"]
        ),
    )


@login_required
def document_file(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    access = page_access(request)
    found = get_object_or_404(Document.objects.visible_to(access), pk=document_pk, project_id=pk)
    return uploaded_file(found.file, found.content_type)


def _public_url(request: HttpRequest, project: Project) -> str:
    return request.build_absolute_uri(reverse("lifts:public", kwargs={"token": project.token}))


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet to print for the stairwell: the QR code of the public progress page."""
    access = page_access(request)
    found = _project(access, pk)
    url = _public_url(request, found)
    return render(
        request, "lifts/poster.html", {"project": found, "url": url, "qr": qr_svg(url, scale=8)}
    )


def public(request: HttpRequest, token: str) -> HttpResponse:
    """The progress page for the unit's residents, without signing in: stage, dates and the
    consent percentages; no owner, no vote, no amount per dwelling."""
    with scopes_disabled():
        found = Project.objects.select_related("subdistrict").filter(token=token).first()
    if found is None:
        raise Http404
    with scope(subdistrict=found.subdistrict):
        found = Project.objects.select_related("unit__building__quarter").get(pk=found.pk)
        dates = services.stage_dates(found)
        return render(
            request,
            "lifts/public.html",
            {
                "project": found,
                "tally": services.tally(found),
                "stages": [(stage, dates.get(stage.value)) for stage in Stage],
            },
        )


def _stats_context(access: Access) -> dict[str, Any]:
    projects = Project.objects.visible_to(access)
    today = clock.today()
    return {
        "stages": Stage.choices,
        "by_stage": statistics.by_stage(projects),
        "quarters": statistics.by_quarter_and_stage(projects),
        "days": statistics.days_per_stage(projects, today),
        "late": statistics.late_registrations(projects),
    }


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_list(access))
    return render(request, "lifts/stats.html", _stats_context(access))


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_list(access))
    figures = _stats_context(access)
    labels = [str(label) for _value, label in Stage.choices]
    table: list[list[Any]] = [[_("Quarter"), *labels, _("Total")]]
    for row in figures["quarters"]:
        table.append([row.quarter, *(row.by_stage[s] for s in Stage), row.total])
    table.append([])
    table.append([_("Stage"), _("Projects"), _("Mean days in the stage")])
    for stage, label in Stage.choices:
        n, mean = figures["days"].get(stage, (0, None))
        table.append([str(label), n, round(mean, 1) if mean is not None else ""])
    return xlsx_response(rows_to_xlsx(_("Lift projects"), table), "lift-projects.xlsx")


@login_required
def map_layers(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_list(access))
    return JsonResponse({"layers": [lift_layer(access)]})
