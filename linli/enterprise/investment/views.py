"""Pipeline pages: the board by stage, a prospect (history, actions, matched space, moves,
registration), the vacant units, and the conversion statistics with their Excel export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import access_of, page_access, xlsx_response
from linli.core.roles import Role
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.investment import rules, services
from linli.enterprise.investment.exports import prospect_rows
from linli.enterprise.investment.filters import ProspectFilter, UnitFilter
from linli.enterprise.investment.forms import (
    ActionForm,
    MoveForm,
    ProspectForm,
    RegisterForm,
    ambassadors,
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


def filter_refused(errors: dict[str, list[str]]) -> HttpResponse:
    """An export whose filters cannot be read is refused, as the API refuses them (never a
    file of everything)."""
    return HttpResponseBadRequest(
        "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in errors.items())
    )


def visible_prospects(access: Access) -> Any:
    access.require(rules.can_view_pipeline(access))
    return Prospect.objects.visible_to(access)


def _prospect(access: Access, pk: int) -> Prospect:
    """A prospect the person may see; others' are 404 (as if they did not exist)."""
    return get_object_or_404(
        visible_prospects(access).select_related("ambassador", "enterprise"), pk=pk
    )


def _worked_prospect(access: Access, pk: int) -> Prospect:
    prospect = _prospect(access, pk)
    access.require(rules.may_work_prospect(access, prospect))
    return prospect


def filtered_prospects(access: Access, request: HttpRequest) -> tuple[Any, Any, Any]:
    """The prospects of the board and its export: the person's, narrowed by the filters of
    the query string (the API's ``ProspectFilter``), with their next action."""
    filters, errors = from_query(ProspectFilter, request.GET)
    prospects = filters.apply(visible_prospects(access)).with_next_action()
    if errors:
        # A filter that cannot be read narrows to nothing (the API answers 422).
        prospects = prospects.none()
    return prospects.select_related("ambassador"), filters, errors


@login_required
def board(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    prospects, filters, errors = filtered_prospects(access, request)
    columns: dict[str, list[Prospect]] = {stage: [] for stage in [*FORWARD, Stage.LOST]}
    for prospect in prospects.order_by("-expected_tax", "name"):
        columns[prospect.stage].append(prospect)
    overdue = (
        NextAction.objects.visible_to(access)
        .overdue()
        .select_related("prospect")
        .order_by("due_on")
    )
    query = request.GET.copy()
    return render(
        request,
        "investment/board.html",
        {
            "columns": [(Stage(stage), columns[stage]) for stage in columns],
            "overdue": overdue,
            "sources": Source.choices,
            "stages": Stage.choices,
            "ambassadors": ambassadors(access.subdistrict)
            if access.subdistrict is not None and rules.sees_whole_pipeline(access)
            else [],
            "filters": filters,
            "errors": errors,
            "query": query.urlencode(),
            "can_create": rules.can_create_prospect(access),
            "can_view_space": rules.can_view_space(access),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The board's prospects (same filters) in Excel, one row each with its next action."""
    access = page_access(request)
    prospects, _filters, errors = filtered_prospects(access, request)
    if errors:
        return filter_refused(errors)
    content = rows_to_xlsx(
        _("Prospects"), prospect_rows(prospects.order_by("-expected_tax", "name"))
    )
    return xlsx_response(content, f"prospects-{clock.today().isoformat()}.xlsx")


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
    prospect = _worked_prospect(access, pk)
    if "edit" not in rules.prospect_actions(access, prospect):
        messages.error(request, _("This prospect's pipeline is closed: it cannot be changed."))
        return redirect("investment:prospect", pk=pk)
    return _prospect_form_page(request, access, prospect)


def _detail_context(access: Access, prospect: Prospect) -> dict[str, Any]:
    allowed = rules.prospect_actions(access, prospect)
    return {
        "prospect": prospect,
        "history": prospect.history.select_related("actor"),
        "actions": NextAction.objects.visible_to(access)
        .filter(prospect=prospect)
        .with_overdue()
        .order_by("done_at", "due_on"),
        "matches": matches_for(prospect, access) if prospect.is_open else [],
        "allowed": allowed,
        "may_complete": rules.may_work_prospect(access, prospect),
        "may_unmask": rules.may_unmask_prospect_contact(access, prospect),
        "move_form": MoveForm(),
        "action_form": ActionForm(),
        "register_form": RegisterForm(initial={"credit_code": prospect.credit_code}, access=access),
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
    if not form.is_valid():
        # Each field's own error, named (a title over the limit is refused, never cut).
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(
                    request,
                    _("The next step was not saved. %(field)s: %(error)s")
                    % {"field": label, "error": error},
                )
        return redirect("investment:prospect", pk=pk)
    try:
        services.add_action(prospect, actor=access, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The action is planned."))
    return redirect("investment:prospect", pk=pk)


@login_required
@require_POST
def complete_action(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_pipeline(access))
    action: NextAction = get_object_or_404(
        NextAction.objects.visible_to(access).select_related("prospect"), pk=pk
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
    form = RegisterForm(
        request.POST or None, initial={"credit_code": prospect.credit_code}, access=access
    )
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
    access = page_access(request)
    access.require(rules.can_view_space(access))
    filters, errors = from_query(UnitFilter, request.GET)
    units = filters.apply(VacantUnit.objects.visible_to(access).select_related("building"))
    if errors:
        units = units.none()
    buildings = list(Building.objects.visible_to(access).order_by("code"))
    vacancy = vacant_area(buildings)
    return render(
        request,
        "investment/space.html",
        {
            "units": units,
            "buildings": [(b, vacancy[b.pk]) for b in buildings],
            "filters": filters,
            "errors": errors,
            "show_taken": not filters.free,
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
    return _unit_form_page(
        request, access, get_object_or_404(VacantUnit.objects.visible_to(access), pk=pk)
    )


def _statistics(access: Access) -> Any:
    access.require(rules.can_view_statistics(access))
    return pipeline_statistics(Prospect.objects.visible_to(access))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    stats = _statistics(access)
    return render(
        request,
        "investment/statistics.html",
        {
            "stats": stats,
            "own_only": not rules.sees_whole_pipeline(access) and access.has_any({Role.AMBASSADOR}),
        },
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    content = rows_to_xlsx(_("Pipeline"), statistics_table(_statistics(access)))
    return xlsx_response(content, f"investment-{clock.today().isoformat()}.xlsx")
