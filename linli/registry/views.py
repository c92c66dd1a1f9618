"""Registry pages: a list (search, filters, pagination), a detail page and a form per kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linli.core import display, limits, public_area
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import access_of, download, htmx_partial, page_access, xlsx_response
from linli.registry import opening_hours, places, rules
from linli.registry.exports import to_csv, to_xlsx
from linli.registry.filters import list_filter, listed
from linli.registry.forms import form_class
from linli.registry.industry import industry_label
from linli.registry.kinds import KINDS, RegistryKind
from linli.registry.models import Enterprise
from linli.registry.services import InvalidRecord, delete_record, save_record

PAGE_SIZE = 25


def _kind(key: str) -> RegistryKind:
    if key not in KINDS:
        raise Http404
    return KINDS[key]


def _own_field(kind: RegistryKind, name: str) -> models.Field[Any, Any]:
    # Kinds list only fields declared on their model, never a reverse relation.
    return cast("models.Field[Any, Any]", kind.model._meta.get_field(name))


def _filter_options(access: Access, kind: RegistryKind) -> list[dict[str, Any]]:
    options = []
    for name in kind.filters:
        field = _own_field(kind, name)
        if field.is_relation:
            related = field.related_model.objects.all()  # type: ignore[union-attr]
            # Offer only what the role may see (a building manager: their own building).
            related_kind = next((k for k, s in KINDS.items() if s.model is field.related_model), "")
            if related_kind:
                related = related.visible_to(access)
            choices = [(str(o.pk), str(o)) for o in related[:300]]
        elif field.choices:
            choices = [(str(v), str(label)) for v, label in field.choices]
        else:
            choices = []
        options.append({"name": name, "label": field.verbose_name, "choices": choices})
    return options


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    access = access_of(request)
    access.require(rules.can_view(access, kind))
    filters, filter_errors = from_query(list_filter(spec), request.GET)
    # A filter that is not valid shows its error and no rows, as the API refuses it (422).
    qs = listed(access, spec, filters).none() if filter_errors else listed(access, spec, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    headers = [_own_field(spec, c).verbose_name for c in spec.columns]
    rows = [
        (obj, getattr(obj, spec.natural_key), [_display(obj, c) for c in spec.columns])
        for obj in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    template = htmx_partial(request, "registry/list.html", "registry/_table.html")
    return render(
        request,
        template,
        {
            "kind": spec,
            "page": page,
            "headers": headers,
            "rows": rows,
            "filters": _filter_options(access, spec),
            "filter_errors": filter_errors,
            "params": request.GET,
            "query": query.urlencode(),
            "can_edit": rules.can_edit(access, kind),
            "can_import": rules.can_import(access),
        },
    )


def _display(obj: models.Model, name: str) -> Any:
    """A field's value as a reader wants it: labels for codes and tags, grouped numbers, dates
    in their language, and no raw GeoJSON (the map draws it)."""
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if name == "industry_code":
        return industry_label(value)
    if name == "opening_hours":
        return opening_hours.in_words(value)
    if name == "tags" and isinstance(obj, Enterprise):
        return ", ".join(obj.tag_labels)
    if name == "polygon":
        return _("Drawn on the map")
    if name == "entrances":
        return ngettext("%(count)d entrance", "%(count)d entrances", len(value)) % {
            "count": len(value)
        }
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | int) and name not in {"year", "floors"}:
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, float):
        # Coordinates to four decimals (about ten metres: the map shows the place), areas grouped.
        return formats.number_format(round(value, 4), force_grouping=True)
    if isinstance(value, dt.date):
        return display.day(value)
    return value


def _get_visible(access: Access, spec: RegistryKind, pk: int) -> models.Model:
    qs = spec.model.objects.visible_to(access)
    return get_object_or_404(qs, pk=pk)


@login_required
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    access = access_of(request)
    access.require(rules.can_view(access, kind))
    obj = _get_visible(access, spec, pk)
    fields = [
        (f.verbose_name, _display(obj, f.name))
        for f in spec.model._meta.concrete_fields
        if f.name not in {"id", "subdistrict"} and f.editable
    ]
    context: dict[str, Any] = {
        "kind": spec,
        "object": obj,
        "fields": fields,
        "can_edit": rules.can_edit(access, kind),
    }
    if kind == "enterprise":
        context["may_unmask"] = rules.may_unmask_enterprise_contact(access, obj)
        context["years"] = obj.years.all()  # type: ignore[attr-defined]
    if kind == "building":
        context["tax_years"] = obj.tax_years.all()  # type: ignore[attr-defined]
        context["enterprise_count"] = (
            Enterprise.objects.filter(building_id=obj.pk).visible_to(access).count()
        )
    return render(request, "registry/detail.html", context)


@login_required
def record_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    access = access_of(request)
    access.require(rules.can_edit(access, kind))
    assert access.subdistrict is not None  # noqa: S101 - only members of one may edit
    instance = _get_visible(access, spec, pk) if pk is not None else None
    form_cls = form_class(kind)
    if request.method == "POST":
        try:
            obj = save_record(access, kind, request.POST, instance=instance)
        except InvalidRecord as exc:
            form = exc.form
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:detail", kind=kind, pk=obj.pk)
    else:
        form = form_cls(instance=instance, subdistrict=access.subdistrict)
    return render(request, "registry/form.html", {"kind": spec, "form": form, "object": instance})


@login_required
@require_POST
def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    access = access_of(request)
    # Refuse a role that may not edit before looking the record up, as the edit page does.
    access.require(rules.can_edit(access, kind))
    obj = _get_visible(access, spec, pk)
    try:
        delete_record(access, kind, obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:detail", kind=kind, pk=pk)
    messages.success(request, _("Deleted."))
    return redirect("registry:list", kind=kind)


@login_required
def place_search(request: HttpRequest) -> HttpResponse:
    """The map's search box: the best-matching places, each with its point (WGS84)."""
    return _found_places(request, page_access(request))


def public_place_search(request: HttpRequest, code: str) -> HttpResponse:
    """The search box of the public map of reports of the sub-district of ``code``: for a
    signed-out visitor its public places (quarters, buildings, facilities) while its map is on,
    for its own people what the map search finds them; 404 otherwise."""
    access = access_of(request)
    if access.user is None:
        with public_area.visit(code) as visitor:
            return _found_places(request, visitor)
    if access.subdistrict is None or code != access.subdistrict.code:
        raise Http404
    return _found_places(request, access)


def _found_places(request: HttpRequest, access: Access) -> HttpResponse:
    query = request.GET.get("q", "")
    if len(query) > places.MAX_QUERY_LENGTH:
        message = limits.too_long(places.MAX_QUERY_LENGTH, len(query))
        return JsonResponse(
            {"code": "invalid", "message": message, "fields": {"q": [message]}}, status=400
        )
    found = places.search(access, query)
    return JsonResponse({"results": [asdict(place) for place in found]})


@login_required
def area_map(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view(access, "building"))
    return render(request, "registry/map.html")


@login_required
def record_export(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    access = access_of(request)
    access.require(rules.can_view(access, kind))
    # Exports carry no personal data: the enterprise contact mobile is not among the exported
    # columns at all (not even masked), since a file leaves the audited unmask view behind.
    filters, filter_errors = from_query(list_filter(spec), request.GET)
    if filter_errors:
        return HttpResponseBadRequest(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filter_errors.items())
        )
    qs = listed(access, spec, filters)
    if request.GET.get("format") == "csv":
        return download(to_csv(spec, qs), f"{kind}.csv", "text/csv; charset=utf-8")
    return xlsx_response(to_xlsx(spec, qs), f"{kind}.xlsx")
