"""Life-circle pages: the coverage map with its what-if tool, gaps, the report and its exports,
the standards table and the walking network's versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core import clock, public_area
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import access_of, pdf_response, xlsx_response
from linli.lifecircle import analysis, exports, rules, services
from linli.lifecircle.filters import GapFilter
from linli.lifecircle.models import FacilityStandard, LifeCircleSettings, WalkNetworkVersion


def _viewer(request: HttpRequest) -> Access:
    access = access_of(request)
    access.require(rules.can_view(access))
    if access.subdistrict is None:
        raise Http404
    return access


def _context(access: Access, **extra: Any) -> dict[str, Any]:
    return {
        "can_plan": rules.can_plan(access),
        "can_edit": rules.can_edit_standards(access),
        "can_manage_network": rules.can_manage_network(access),
        **extra,
    }


def _no_network(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    return render(request, template, _context(access, no_network=True))


def _types(result: analysis.Analysis) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": analysis.type_label(key), "tier": s.tier_minutes}
        for key, s in result.standards.items()
    ]


def basemap(request: HttpRequest, code: str) -> HttpResponse:
    """The offline base map of the current sub-district, for maps without tiles; for a
    signed-out visitor of the public map of reports of the sub-district of ``code``, that
    sub-district's while its map is on (404 otherwise, as for another sub-district's).

    The sub-district's code is in the URL so that a browser's cached copy never serves one
    sub-district's streets after the person switches to another; the copy is kept five minutes,
    then revalidated against the ETag (a new import changes it).
    """
    access = access_of(request)
    if access.user is None:
        with public_area.visit(code) as visitor:
            return _basemap_response(request, visitor)
    if access.subdistrict is None or code != access.subdistrict.code:
        raise Http404
    return _basemap_response(request, access)


def _basemap_response(request: HttpRequest, access: Access) -> HttpResponse:
    tag = services.current_basemap_tag(access) or "empty"
    etag = f'"{tag}"'
    response: HttpResponse
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(
            services.current_basemap(access), content_type="application/geo+json"
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def coverage_map(request: HttpRequest) -> HttpResponse:
    access = _viewer(request)
    try:
        result = analysis.get_analysis(access.subdistrict)  # type: ignore[arg-type]
    except analysis.NoNetwork:
        return _no_network(request, access, "lifecircle/map.html")
    facility_type = request.GET.get("type") or ""
    if facility_type not in result.standards:
        facility_type = result.types[0]
    summary = analysis.type_coverage(result, facility_type)
    quarters = sorted(
        summary["quarters"], key=lambda r: (r["share"] is None, r["share"] or 0, r["quarter"].code)
    )
    return render(
        request,
        "lifecircle/map.html",
        _context(
            access,
            summary=summary,
            quarters=quarters,
            types=_types(result),
            facility_type=facility_type,
            version=result.version,
        ),
    )


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    access = _viewer(request)
    try:
        result = analysis.get_analysis(access.subdistrict)  # type: ignore[arg-type]
    except analysis.NoNetwork:
        return _no_network(request, access, "lifecircle/gaps.html")
    filters, errors = from_query(GapFilter, request.GET)
    if filters.type and filters.type not in result.standards:
        errors["type"] = [_("Unknown facility type: %(type)s.") % {"type": filters.type}]
    # A filter that cannot be read shows nothing (the API refuses it).
    rows = [] if errors else filters.rows(result)
    return render(
        request,
        "lifecircle/gaps.html",
        _context(
            access,
            gaps=rows,
            types=_types(result),
            facility_type=filters.type,
            tier=str(filters.tier or ""),
            tiers=FacilityStandard.Tier.choices,
            errors=errors,
            people=sum(r["uncovered"] for r in rows),
        ),
    )


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    access = _viewer(request)
    try:
        result = analysis.get_analysis(access.subdistrict)  # type: ignore[arg-type]
    except analysis.NoNetwork:
        return _no_network(request, access, "lifecircle/report.html")
    report = analysis.report(result)
    return render(
        request,
        "lifecircle/report.html",
        _context(access, report=report, top_gaps=report["gaps"][:15], version=result.version),
    )


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    access = _viewer(request)
    subdistrict = access.subdistrict
    assert subdistrict is not None  # noqa: S101 - _viewer raised 404 otherwise
    try:
        result = analysis.get_analysis(subdistrict)
    except analysis.NoNetwork:
        messages.warning(request, _("There is no walking network to report on yet."))
        return redirect("lifecircle:report")
    report = analysis.report(result)
    stamp = clock.today().isoformat()
    name = f"life-circle-{subdistrict.code}-{stamp}.{fmt}"
    if fmt == "pdf":
        return pdf_response(exports.to_pdf(report, subdistrict.name), name)
    return xlsx_response(exports.to_xlsx(report, subdistrict.name), name)


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")


# -- standards ------------------------------------------------------------------------------


class StandardForm(forms.ModelForm):
    class Meta:
        model = FacilityStandard
        fields = services.STANDARD_FIELDS
        widgets = {"threshold_m": forms.NumberInput(attrs={"min": 50, "max": 5000, "step": 10})}


class SpeedsForm(forms.ModelForm):
    class Meta:
        model = LifeCircleSettings
        fields = services.SPEED_FIELDS
        widgets = {
            name: forms.NumberInput(attrs={"min": 0.3, "max": 2.5, "step": 0.05})
            for name in services.SPEED_FIELDS
        }


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    access = _viewer(request)
    subdistrict = access.subdistrict
    assert subdistrict is not None  # noqa: S101 - _viewer raised 404 otherwise
    editable = rules.can_edit_standards(access)
    if request.method == "POST":
        access.require(editable)
        if request.POST.get("reset"):
            services.reset_standards(subdistrict, actor=access)
            messages.success(request, _("The standards are back to the planning defaults."))
            return redirect("lifecircle:standards")
    services.ensure_standards(subdistrict)
    rows = list(FacilityStandard.objects.visible_to(access).order_by("position", "pk"))
    speeds_row = services.settings_for(subdistrict)
    data = request.POST if request.method == "POST" else None
    forms_by_row = [
        (row, StandardForm(data, instance=row, prefix=row.facility_type)) for row in rows
    ]
    speeds_form = SpeedsForm(data, instance=speeds_row, prefix="speeds")
    if data is not None:
        valid = all(f.is_valid() for _row, f in forms_by_row) & speeds_form.is_valid()
        if valid:
            try:
                services.update_standards(
                    subdistrict,
                    {row.facility_type: form.cleaned_data for row, form in forms_by_row},
                    speeds=speeds_form.cleaned_data,
                    actor=access,
                )
            except services.StandardsInvalid as exc:
                for row, form in forms_by_row:
                    for name, errors in exc.errors.get(row.facility_type, {}).items():
                        for message in errors:
                            form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("The standards have been saved."))
                return redirect("lifecircle:standards")
    return render(
        request,
        "lifecircle/standards.html",
        _context(
            access,
            rows=[
                {"row": row, "form": form, "label": analysis.type_label(row.facility_type)}
                for row, form in forms_by_row
            ],
            speeds_form=speeds_form,
            speeds=speeds_row,
            editable=editable,
            has_errors=data is not None,
        ),
    )


# -- the walking network --------------------------------------------------------------------


class NetworkUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pbf,.osm,.xml,.gz,.bz2,.geojson,.json"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[
            ("", gettext_lazy("Recognise from the file name")),
            *[(k.value, k.label) for k in services.UPLOAD_KINDS],
        ],
    )


@login_required
def network(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_manage_network(access))
    subdistrict = access.subdistrict
    if subdistrict is None:
        raise Http404
    form = NetworkUploadForm(request.POST or None, request.FILES or None)
    upload_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"] or services.kind_for_filename(upload.name or "") or ""
        try:
            version = services.import_network(subdistrict, upload, kind=kind, actor=access)
        except services.NetworkUploadError as exc:
            upload_error = exc.message
        else:
            messages.success(
                request,
                _("The walking network has been replaced: %(nodes)s nodes, %(edges)s edges.")
                % {"nodes": version.node_count, "edges": version.edge_count},
            )
            return redirect("lifecircle:network")
    versions = (
        WalkNetworkVersion.objects.visible_to(access, "manage")
        .defer("data", "basemap")
        .select_related("created_by")
    )
    return render(
        request,
        "lifecircle/network.html",
        _context(
            access,
            form=form,
            upload_error=upload_error,
            versions=list(versions.order_by("-created_at", "-id")),
            max_mb=services.MAX_UPLOAD_BYTES // (1024 * 1024),
            has_boundary=bool(subdistrict.boundary),
        ),
    )


@login_required
@require_POST
def network_use(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_manage_network(access))
    version: WalkNetworkVersion = get_object_or_404(
        WalkNetworkVersion.objects.visible_to(access, "manage").defer("data", "basemap"), pk=pk
    )
    services.use_network_version(version, actor=access)
    messages.success(
        request,
        _("Version %(version)s is the current walking network again.") % {"version": version.pk},
    )
    return redirect("lifecircle:network")
