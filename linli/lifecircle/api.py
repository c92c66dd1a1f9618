"""Life-circle API: the walking network (read, upload), coverage, gaps, the 2SFCA report,
service areas and map layers, what-if for a point and suggested sites.

Everything is computed for the caller's current sub-district; a sub-district without a walking
network answers 409 ``no_network``. Distances are metres along the network, the snap distance
from each point to its street included; people are residents, or residents over 60 for the types
whose standard is weighted so.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from linli.core.access import Access
from linli.core.api import ErrorOut, error_body
from linli.core.http import access_of
from linli.lifecircle import analysis, rules, services
from linli.lifecircle.models import WalkNetworkVersion

router = Router(tags=["lifecircle"])


class NetworkVersionOut(Schema):
    id: int
    source: str
    file_name: str
    node_count: int
    edge_count: int
    bridge_count: int
    length_km: float
    bbox: list[float]
    created_at: str
    is_current: bool


class NetworkOut(Schema):
    current: NetworkVersionOut | None
    versions: list[NetworkVersionOut]


class QuarterCoverageOut(Schema):
    quarter_id: int
    code: str
    name: str
    total: float
    covered: float
    uncovered: float
    share: float | None
    farthest_m: float | None


class TypeCoverageOut(Schema):
    type: str
    label: str
    tier: int
    standard_m: int
    threshold_m: float
    weighting: str
    covered: float
    total: float
    uncovered: float
    share: float | None
    facilities: int
    facilities_outside: int
    quarters: list[QuarterCoverageOut]


class GapOut(Schema):
    type: str
    label: str
    tier: int
    threshold_m: float
    weighting: str
    quarter_id: int
    quarter: str
    uncovered: float
    total: float
    share: float | None
    farthest_m: float | None


class TwoStepOut(Schema):
    type: str
    label: str
    unit: str
    threshold_m: float
    weighting: str
    facilities: int
    capacity: int
    missing_capacity: int
    per_thousand: float | None
    no_access: float
    total: float


class ReportOut(Schema):
    population: int
    over_60: int
    quarters: int
    quarters_unlocated: int
    facilities: int
    facilities_outside: int
    network_version: int
    coverage: list[TypeCoverageOut]
    two_step: list[TwoStepOut]


class WhatIfQuarterOut(Schema):
    id: int
    name: str
    added: float


class WhatIfPointOut(Schema):
    lon: float
    lat: float
    people: float
    distance_m: float
    quarter: str


class WhatIfOut(Schema):
    type: str
    label: str
    tier: int
    lon: float
    lat: float
    snap_m: float
    threshold_m: float
    weighting: str
    total: float
    covered_before: float
    covered_after: float
    added: float
    share_before: float | None
    share_after: float | None
    quarters: list[WhatIfQuarterOut]
    points: list[WhatIfPointOut]
    engine_ms: float
    message: str


class SiteOut(Schema):
    rank: int
    lon: float
    lat: float
    added: float
    homes: int


class SuggestionsOut(Schema):
    type: str
    label: str
    candidates: int
    sites: list[SiteOut]
    seconds: float


class CoverageLayerOut(Schema):
    id: str
    title: str
    geometry: str
    data: dict[str, Any]
    legend: list[dict[str, Any]]
    visible: bool


class CoverageLayersOut(Schema):
    facility_type: str
    label: str
    threshold_m: float
    share: float | None
    covered: float
    total: float
    weight_label: str
    crs: str
    layers: list[CoverageLayerOut]


ERRORS = {400: ErrorOut, 409: ErrorOut}


def _viewer(request: HttpRequest) -> Access:
    access = access_of(request)
    access.require(rules.can_view(access))
    return access


def _analysis(access: Access) -> analysis.Analysis:
    if access.subdistrict is None:
        raise HttpError(409, _("Choose a sub-district first."))
    try:
        return analysis.get_analysis(access.subdistrict)
    except analysis.NoNetwork:
        raise NoNetworkError from None


class NoNetworkError(Exception):
    pass


def _no_network() -> Status:
    return Status(
        409,
        error_body(
            "no_network",
            _("This sub-district has no walking network yet; an administrator can upload one."),
        ),
    )


def _check_type(result: analysis.Analysis, facility_type: str) -> None:
    if facility_type not in result.standards:
        raise HttpError(400, _("Unknown facility type: %(type)s.") % {"type": facility_type})


def _version_out(version: WalkNetworkVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "source": version.source,
        "file_name": version.file_name,
        "node_count": version.node_count,
        "edge_count": version.edge_count,
        "bridge_count": version.bridge_count,
        "length_km": version.length_km,
        "bbox": version.bbox,
        "created_at": version.created_at.isoformat(),
        "is_current": version.is_current,
    }


def _coverage_out(summary: dict[str, Any], *, quarters: bool = True) -> dict[str, Any]:
    return {
        **{k: v for k, v in summary.items() if k != "quarters"},
        "quarters": [
            {
                "quarter_id": r["quarter"].pk,
                "code": r["quarter"].code,
                "name": r["quarter"].name,
                "total": r["total"],
                "covered": r["covered"],
                "uncovered": r["uncovered"],
                "share": r["share"],
                "farthest_m": r["farthest_m"],
            }
            for r in summary["quarters"]
        ]
        if quarters
        else [],
    }


@router.get(
    "/network",
    response=NetworkOut,
    operation_id="lifecircle_network",
    url_name="lifecircle_network",
    summary="The walking network: current version and history",
)
def get_network(request: HttpRequest) -> Any:
    _viewer(request)
    versions = list(WalkNetworkVersion.objects.defer("data").order_by("-created_at", "-id")[:50])
    current = next((v for v in versions if v.is_current), None)
    return {
        "current": _version_out(current) if current else None,
        "versions": [_version_out(v) for v in versions],
    }


@router.post(
    "/network",
    response={201: NetworkVersionOut, 400: ErrorOut},
    operation_id="lifecircle_network_upload",
    url_name="lifecircle_network_upload",
    summary="Upload a walking network (OpenStreetMap .osm.pbf / .osm, or GeoJSON lines)",
    description=(
        "Multipart upload of one file; `kind` is `osm_pbf`, `osm_xml` or `geojson` (guessed from "
        "the file name when left out). The network is clipped to the sub-district's boundary "
        "plus 1 km and becomes the current version. A file that cannot be read is refused with "
        "400 and the current network stays as it was."
    ),
)
def upload_network(request: HttpRequest, file: File[UploadedFile], kind: Form[str] = "") -> Any:
    access = access_of(request)
    access.require(rules.can_manage_network(access))
    if access.subdistrict is None:
        raise HttpError(409, _("Choose a sub-district first."))
    chosen = kind or services.kind_for_filename(file.name or "") or ""
    try:
        version = services.import_network(access.subdistrict, file, kind=chosen, actor=access)
    except services.NetworkUploadError as exc:
        return Status(400, error_body("invalid_file", exc.message, {"file": [exc.message]}))
    return Status(201, _version_out(version))


@router.get(
    "/coverage",
    response={200: list[TypeCoverageOut], 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_coverage",
    url_name="lifecircle_coverage",
    summary="Coverage per facility type, with each quarter's share",
)
def get_coverage(request: HttpRequest, type: str = "") -> Any:
    """Share of residents (of residents over 60, for elderly services) within the standard's
    walking distance of a facility of each type; ``type`` limits it to one."""
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    types = [type] if type else result.types
    for t in types:
        _check_type(result, t)
    return [_coverage_out(analysis.type_coverage(result, t)) for t in types]


@router.get(
    "/gaps",
    response={200: list[GapOut], 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_gaps",
    url_name="lifecircle_gaps",
    summary="Quarters with residents beyond the walking distance, most people first",
)
def get_gaps(request: HttpRequest, type: str = "") -> Any:
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    if type:
        _check_type(result, type)
    return [
        {
            "type": g["type"],
            "label": g["label"],
            "tier": g["tier"],
            "threshold_m": g["threshold_m"],
            "weighting": g["weighting"],
            "quarter_id": g["quarter"].pk,
            "quarter": g["quarter"].name,
            "uncovered": g["uncovered"],
            "total": g["total"],
            "share": g["share"],
            "farthest_m": g["farthest_m"],
        }
        for g in analysis.gaps(result, type or None)
    ]


@router.get(
    "/report",
    response={200: ReportOut, 409: ErrorOut},
    operation_id="lifecircle_report",
    url_name="lifecircle_report",
    summary="The full report: coverage of every type and 2SFCA supply ratios",
)
def get_report(request: HttpRequest) -> Any:
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    data = analysis.report(result)
    return {
        "population": data["population"],
        "over_60": data["over_60"],
        "quarters": data["quarters"],
        "quarters_unlocated": len(data["unlocated"]),
        "facilities": data["facilities"],
        "facilities_outside": data["facilities_outside"],
        "network_version": result.version.pk,
        "coverage": [_coverage_out(c, quarters=False) for c in data["coverage"]],
        "two_step": [
            {k: v for k, v in row.items() if k != "facility_rows"} for row in data["two_step"]
        ],
    }


@router.get(
    "/service-area",
    response={200: dict[str, Any], 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_service_area",
    url_name="lifecircle_service_area",
    summary="Walkable service area of a facility type as GeoJSON",
)
def get_service_area(request: HttpRequest, type: str) -> Any:
    """The network stretches within the type's walking distance of its nearest facility: one
    MultiLineString per distance band (quarters of the threshold), WGS84 lon/lat."""
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    _check_type(result, type)
    return analysis.service_area_geojson(result, type)


@router.get(
    "/map-layers",
    response={200: CoverageLayersOut, 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_map_layers",
    url_name="lifecircle_map_layers",
    summary="Layers of the coverage map for one facility type",
)
def get_map_layers(request: HttpRequest, type: str) -> Any:
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    _check_type(result, type)
    return analysis.map_layers(result, type)


@router.get(
    "/what-if",
    response={200: WhatIfOut, 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_what_if",
    url_name="lifecircle_what_if",
    summary="What a new facility at a point would add to a type's coverage",
)
def get_what_if(request: HttpRequest, lon: float, lat: float, type: str) -> Any:
    access = access_of(request)
    access.require(rules.can_plan(access))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise HttpError(400, _("The point must be a longitude and latitude in degrees."))
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    _check_type(result, type)
    data = analysis.what_if(result, lon, lat, type)
    return {**data, "message": what_if_message(data)}


@router.get(
    "/suggestions",
    response={200: SuggestionsOut, 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_suggestions",
    url_name="lifecircle_suggestions",
    summary="The best sites for new facilities of a type",
)
def get_suggestions(request: HttpRequest, type: str, top: int = 5) -> Any:
    """Street points inside the boundary ranked greedily: each site is scored by the people it
    would newly cover given the sites ranked before it."""
    access = access_of(request)
    access.require(rules.can_plan(access))
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    _check_type(result, type)
    return analysis.suggest_sites(result, type, top=max(1, min(top, 10)))


def what_if_message(data: dict[str, Any]) -> str:
    """One sentence for the page's live region, in the caller's language."""
    before, after = data["share_before"], data["share_after"]
    if before is None or after is None:
        return _("Nobody lives within reach of this type's standard here.")
    return _(
        "A new %(type)s here: coverage %(before)s → %(after)s; %(added)s more %(weight)s "
        "within %(distance)s m."
    ) % {
        "type": data["label"],
        "before": f"{before:.1%}",
        "after": f"{after:.1%}",
        "added": f"{data['added']:,.0f}",
        "weight": data["weight_label"],
        "distance": round(data["threshold_m"]),
    }
