"""The staff workbench: the queues, the filtered case list and its Excel export, and dispatching
many cases at once. The list is ``filters.listed`` with ``filters.CaseFilter``: the same cases
``GET /api/v1/cases`` gives for the same parameters."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.cases import rules, services
from linli.cases.filters import CaseFilter, described, listed
from linli.cases.forms import (
    WEB,
    BulkDispatchForm,
    category_label,
    organisation_groups,
    organisations,
)
from linli.cases.models import Case, Category, Channel, State
from linli.cases.presenting import STATE_TONES
from linli.cases.queues import apply_queue, queues_for
from linli.cases.views.reporting import VARIANTS, may_use
from linli.cases.workflow import InvalidTransition
from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import htmx_partial, page_access, xlsx_response
from linli.core.roles import Role
from linli.core.spreadsheets import about_rows, rows_to_xlsx
from linli.registry.models import Grid

PAGE_SIZE = 25
# The queues whose size the workbench shows next to their names.
COUNTED = ("mine", "organisation", "triage", "verify", "overdue", "due_today")


def default_queue(access: Access) -> str:
    """The queue the workbench opens on when none is named."""
    if rules.is_dispatcher(access):
        return "triage"
    if access.linked_ids("organisation") and access.has_any({Role.HANDLER, Role.WINDOW_STAFF}):
        return "organisation"
    if access.has_any({Role.GRID_WORKER}):
        return "verify"
    return "mine"


def may_use_workbench(access: Access) -> bool:
    return access.has_any(rules.STAFF)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(may_use_workbench(access))
    filters, errors = from_query(CaseFilter, request.GET)
    queue = filters.queue or default_queue(access)
    cases = listed(access, filters, queue=queue).select_related(
        "category", "lead_organisation", "assignee", "grid"
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    visible = Case.objects.visible_to(access)
    context = {
        "page": page,
        "queue": queue,
        "queues": [
            {
                "key": key,
                "label": label,
                "count": apply_queue(access, visible, key).count() if key in COUNTED else None,
            }
            for key, label in queues_for(access).items()
        ],
        "params": request.GET,
        "errors": errors,
        "query": query.urlencode(),
        "export_query": _export_query(request, queue),
        "states": State.choices,
        "channels": Channel.choices,
        "categories": [(c.code, category_label(c)) for c in Category.objects.order_by("code")],
        "grids": list(Grid.objects.order_by("code").values_list("code", "name")),
        "organisation_groups": organisation_groups(organisations()),
        "may_dispatch": rules.is_dispatcher(access),
        "tones": STATE_TONES,
        "intake_links": [
            (reverse(spec["url"]), spec["title"])
            for key, spec in VARIANTS.items()
            if key != WEB and may_use(access, key)
        ],
    }
    template = htmx_partial(request, "cases/workbench.html", "cases/_queue.html")
    return render(request, template, context)


def _export_query(request: HttpRequest, queue: str) -> str:
    """The export of what the page shows: its filters, with the queue it opened on."""
    query = request.GET.copy()
    query.pop("page", None)
    query["queue"] = queue
    return query.urlencode()


# The export's columns: the case number first, headed as the API names it; the others headed
# with their field's name.
def _field(name: str) -> Any:
    field = cast("models.Field[Any, Any]", Case._meta.get_field(name))
    return lambda: capfirst(field.verbose_name)


EXPORT_COLUMNS: list[tuple[Any, Any]] = [
    (lambda: "number", lambda c: c.number),
    (_field("title"), lambda c: c.title),
    (_field("state"), lambda c: c.state_label),
    (_field("category"), lambda c: category_label(c.category)),
    (_field("channel"), lambda c: c.get_channel_display()),
    (_field("grid"), lambda c: c.grid.code if c.grid else ""),
    (_field("address"), lambda c: c.address),
    (_field("lead_organisation"), lambda c: str(c.lead_organisation or "")),
    (_field("assignee"), lambda c: c.assignee_name or ""),
    (_field("received_at"), lambda c: clock.local(c.received_at).strftime("%Y-%m-%d %H:%M")),
    (
        _field("stage_deadline"),
        lambda c: (
            clock.local(c.stage_deadline).strftime("%Y-%m-%d %H:%M") if c.stage_deadline else ""
        ),
    ),
    (lambda: gettext_lazy("Overdue"), lambda c: c.is_overdue),
]


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The workbench's list as an Excel file: the same filters, the same cases, every page."""
    access = page_access(request)
    access.require(may_use_workbench(access))
    filters, _errors = from_query(CaseFilter, request.GET)
    cases = listed(access, filters, queue=filters.queue or "all").select_related(
        "category__parent", "lead_organisation", "assignee", "grid"
    )
    header = [str(name()) for name, _value in EXPORT_COLUMNS]
    rows = ([value(case) for _name, value in EXPORT_COLUMNS] for case in cases.iterator(2000))
    about = about_rows(_("Cases"), str(access.subdistrict), described(filters), clock.now())
    return xlsx_response(rows_to_xlsx(_("Cases"), [header, *rows], about=about), "cases.xlsx")


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch many cases to one organisation (registering those not yet registered)."""
    access = page_access(request)
    access.require(rules.is_dispatcher(access))
    form = BulkDispatchForm(request.POST)
    back = reverse("cases:workbench") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.as_data().values():
            for message in ValidationError(errors).messages:
                messages.error(request, message)
        return redirect(back)
    organisation = form.cleaned_data["organisation"]
    done = 0
    cases = Case.objects.visible_to(access).filter(number__in=form.cleaned_data["cases"])
    for case in cases.order_by("id"):
        try:
            if case.state == State.RECEIVED:
                services.register_case(case, actor=access)
            services.dispatch_case(case, organisation, actor=access)
        except (InvalidTransition, ValidationError, PermissionDenied) as exc:
            text = (
                exc.message
                if isinstance(exc, InvalidTransition)
                else " ".join(getattr(exc, "messages", [str(exc)]))
            )
            messages.error(request, f"{case.number}: {text}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            _("%(count)s cases dispatched to %(organisation)s.")
            % {"count": done, "organisation": organisation},
        )
    return redirect(back)
