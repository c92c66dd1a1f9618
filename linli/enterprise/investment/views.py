"""Pipeline pages: the board by stage, a prospect (history, actions, matched space, moves,
registration), the vacant units, and the conversion statistics with their Excel export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.http import access_of, xlsx_response
from linli.core.roles import Role
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.investment import rules, services
from linli.enterprise.investment.forms import (
    ActionForm,
    MoveForm,
    ProspectForm,
    RegisterForm,
    vacant_unit_form,
)
from linli.enterprise.investment.matching import matches_for
from linli.enterprise.investment.models import (
    FORWARD,
    NextAction,
    Prospect,
    Source,
    Stage,
    VacantUnit,
)
from linli.enterprise.investment.statistics import pipeline_statistics, statistics_table
from linli.enterprise.investment.vacancy import vacant_area
from linli.registry.models import Building, Enterprise


def visible_prospects(access: Access) -> Any:
    return Prospect.objects.filter(rules.prospect_filter(access))


def _prospect(access: Access, pk: int) -> Prospect:
    """A prospect the person may see; others' are 404 (as if they did not exist)."""
    access.require(rules.can_view_pipeline(access))
    prospect = visible_prospects(access).select_related("ambassador", "enterprise").filter(pk=pk)
    found = prospect.first()
    if found is None:
        raise Http404
    return found


def _worked_prospect(access: Access, pk: int) -> Prospect:
    prospect = _prospect(access, pk)
    access.require(rules.may_work_prospect(access, prospect))
    return prospect


@login_required
def board(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_pipeline(access))
    prospects = visible_prospects(access).select_related("ambassador")
    source = request.GET.get("source", "")
    if source in Source.values:
        prospects = prospects.filter(source=source)
    columns: dict[str, list[Prospect]] = {stage: [] for stage in [*FORWARD, Stage.LOST]}
    for prospect in prospects.order_by("-expected_tax", "name"):
        columns[prospect.stage].append(prospect)
    overdue = (
        NextAction.objects.filter(
            prospect__in=visible_prospects(access),
            done_at__isnull=True,
            due_on__lt=clock.today(),
        )
        .select_related("prospect")
        .order_by("due_on")
    )
    return render(
        request,
        "investment/board.html",
        {
            "columns": [(Stage(stage), columns[stage]) for stage in columns],
            "overdue": overdue,
            "sources": Source.choices,
            "source": source,
            "can_create": rules.can_create_prospect(access),
            "can_view_space": rules.can_view_space(access),
        },
    )


def _prospect_form_page(
    request: HttpRequest, access: Access, instance: Prospect | None
) -> HttpResponse:
    assert access.subdistrict is not None  # noqa: S101 - pipeline roles are tenant members
    initial = {"contact_phone": ""}
    if request.method == "POST":
        try:
            prospect = services.save_prospect(access, request.POST.dict(), instance=instance)
        except services.InvalidForm as exc:
            form = exc.form
        else:
            messages.success(request, _("The prospect is saved."))
            return redirect("investment:prospect", pk=prospect.pk)
    else:
        form = ProspectForm(instance=instance, subdistrict=access.subdistrict, initial=initial)
    if not rules.may_reassign(access):
        form.fields.pop("ambassador", None)
    return render(request, "investment/prospect_form.html", {"form": form, "prospect": instance})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_create_prospect(access))
    return _prospect_form_page(request, access, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    return _prospect_form_page(request, access, _worked_prospect(access, pk))


def _detail_context(access: Access, prospect: Prospect) -> dict[str, Any]:
    may_work = rules.may_work_prospect(access, prospect)
    return {
        "prospect": prospect,
        "history": prospect.history.select_related("actor"),
        "actions": prospect.actions.order_by("done_at", "due_on"),
        "matches": matches_for(prospect) if prospect.is_open else [],
        "may_work": may_work,
        "may_unmask": rules.may_unmask_prospect_contact(access, prospect),
        "move_form": MoveForm(),
        "action_form": ActionForm(),
        "register_form": RegisterForm(initial={"credit_code": prospect.credit_code}),
        "can_register": may_work and prospect.stage == Stage.SIGNED,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    prospect = _prospect(access, pk)
    return render(request, "investment/prospect.html", _detail_context(access, prospect))


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for messages_ in exc.message_dict.values() for m in messages_)
    return " ".join(exc.messages)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    prospect = _worked_prospect(access, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage to move to."))
        return redirect("investment:prospect", pk=pk)
    try:
        services.move_prospect(
            prospect,
            actor=access,
            to_stage=form.cleaned_data["to_stage"],
            note=form.cleaned_data["note"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The stage is changed."))
    return redirect("investment:prospect", pk=pk)


@login_required
@require_POST
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    prospect = _worked_prospect(access, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.add_action(prospect, actor=access, **form.cleaned_data)
        messages.success(request, _("The action is planned."))
    else:
        messages.error(request, _("Give the action a title and a due date."))
    return redirect("investment:prospect", pk=pk)


@login_required
@require_POST
def complete_action(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_pipeline(access))
    action: NextAction = get_object_or_404(
        NextAction.objects.filter(prospect__in=visible_prospects(access)), pk=pk
    )
    try:
        services.complete_action(action, actor=access)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("investment:prospect", pk=action.prospect_id)


def _labelled(name: str, error: str) -> str:
    """An error of an enterprise field the registration form does not show, with its label
    (the value came from the prospect, which is where to correct it)."""
    try:
        # The errors name the model's own fields (its full_clean), never a reverse relation.
        label = cast(Field, Enterprise._meta.get_field(name)).verbose_name
    except FieldDoesNotExist:
        return error
    return _("%(field)s (from the prospect): %(error)s") % {"field": label, "error": error}


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    prospect = _worked_prospect(access, pk)
    form = RegisterForm(request.POST or None, initial={"credit_code": prospect.credit_code})
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.register_prospect(prospect, actor=access, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    if name in form.fields:
                        form.add_error(name, error)
                    else:
                        form.add_error(None, _labelled(name, error))
        else:
            messages.success(
                request,
                _("%(name)s is registered as an enterprise.") % {"name": enterprise.name},
            )
            return redirect("investment:prospect", pk=prospect.pk)
    return render(request, "investment/register.html", {"form": form, "prospect": prospect})


@login_required
def space(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_space(access))
    units = VacantUnit.objects.select_related("building")
    if request.GET.get("free") != "0":
        units = units.filter(taken_at__isnull=True)
    buildings = list(Building.objects.order_by("code"))
    vacancy = vacant_area(buildings)
    return render(
        request,
        "investment/space.html",
        {
            "units": units,
            "buildings": [(b, vacancy[b.pk]) for b in buildings],
            "show_taken": request.GET.get("free") == "0",
            "can_edit": rules.can_edit_space(access),
        },
    )


def _unit_form_page(request: HttpRequest, access: Access, instance: VacantUnit | None) -> Any:
    assert access.subdistrict is not None  # noqa: S101 - space editors are tenant members
    if request.method == "POST":
        try:
            services.save_unit(access, request.POST.dict(), instance=instance)
        except services.InvalidForm as exc:
            form = exc.form
        else:
            messages.success(request, _("The vacant unit is saved."))
            return redirect("investment:space")
    else:
        form = vacant_unit_form()(instance=instance, subdistrict=access.subdistrict)
    return render(request, "investment/unit_form.html", {"form": form, "unit": instance})


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_edit_space(access))
    return _unit_form_page(request, access, None)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_edit_space(access))
    return _unit_form_page(request, access, get_object_or_404(VacantUnit, pk=pk))


def _statistics(access: Access) -> Any:
    access.require(rules.can_view_statistics(access))
    return pipeline_statistics(visible_prospects(access))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    stats = _statistics(access)
    return render(
        request,
        "investment/statistics.html",
        {
            "stats": stats,
            "own_only": not rules.sees_all_prospects(access) and access.has_any({Role.AMBASSADOR}),
        },
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    content = rows_to_xlsx(_("Pipeline"), statistics_table(_statistics(access)))
    return xlsx_response(content, f"investment-{clock.today().isoformat()}.xlsx")
