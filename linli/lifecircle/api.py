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
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from linli.core.access import Access
from linli.core.api import ErrorOut, error_body
from linli.core.http import access_of
from linli.lifecircle import analysis, rules, services
from linli.lifecircle.filters import GapFilter
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

    @staticmethod
    def resolve_created_at(obj: WalkNetworkVersion) -> str:
        return obj.created_at.isoformat()


class NetworkOut(Schema):
    current: NetworkVersionOut | None
    versions: list[NetworkVersionOut]


class QuarterCoverageOut(Schema):
    """A quarter's row of ``analysis.type_coverage``."""

    quarter_id: int
    code: str
    name: str
    total: float
    covered: float
    uncovered: float
    share: float | None
    farthest_m: float | None
    #: Where the quarter's homes come from: ``dwellings`` (the residents register) or
    #: ``synthetic`` (the quarter's totals at its gates).
    homes: str

    @staticmethod
    def resolve_quarter_id(obj: dict[str, Any]) -> int:
        return int(obj["quarter"].pk)

    @staticmethod
    def resolve_code(obj: dict[str, Any]) -> str:
        return str(obj["quarter"].code)

    @staticmethod
    def resolve_name(obj: dict[str, Any]) -> str:
        return str(obj["quarter"].name)


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
    """A row of ``analysis.gaps``."""

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

    @staticmethod
    def resolve_quarter_id(obj: dict[str, Any]) -> int:
        return int(obj["quarter"].pk)

    @staticmethod
    def resolve_quarter(obj: dict[str, Any]) -> str:
        return str(obj["quarter"].name)


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


class QuarterHomesOut(Schema):
    """A row of ``analysis.coverage.homes``: counts only, never a person."""

    quarter_id: int
    name: str
    homes: str
    buildings: int | None
    population: int
    over_60: int
    over_80: int | None

    @staticmethod
    def resolve_quarter_id(obj: dict[str, Any]) -> int:
        return int(obj["quarter"].pk)

    @staticmethod
    def resolve_name(obj: dict[str, Any]) -> str:
        return str(obj["quarter"].name)


class ReportOut(Schema):
    """``analysis.report``: the coverage of every type without its quarters (those are in
    ``/coverage``)."""

    population: int
    over_60: int
    quarters: int
    quarters_unlocated: int
    quarters_from_dwellings: int
    homes: list[QuarterHomesOut]
    facilities: int
    facilities_outside: int
    network_version: int
    coverage: list[TypeCoverageOut]
    two_step: list[TwoStepOut]

    @staticmethod
    def resolve_quarters_unlocated(obj: dict[str, Any]) -> int:
        return len(obj["unlocated"])

    @staticmethod
    def resolve_network_version(obj: dict[str, Any]) -> int:
        return int(obj["version"].pk)

    @staticmethod
    def resolve_coverage(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**c, "quarters": []} for c in obj["coverage"]]


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


@router.get(
    "/network",
    response=NetworkOut,
    operation_id="lifecircle_network",
    url_name="lifecircle_network",
    summary="The walking network: current version and history",
)
def get_network(request: HttpRequest) -> Any:
    access = _viewer(request)
    versions = list(
        WalkNetworkVersion.objects.visible_to(access)
        .defer("data", "basemap")
        .order_by("-created_at", "-id")
    )
    return {"current": next((v for v in versions if v.is_current), None), "versions": versions}


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
    return Status(201, version)


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
    return [analysis.type_coverage(result, t) for t in types]


@router.get(
    "/gaps",
    response={200: list[GapOut], 400: ErrorOut, 409: ErrorOut},
    operation_id="lifecircle_gaps",
    url_name="lifecircle_gaps",
    summary="Quarters with residents beyond the walking distance, most people first",
)
def get_gaps(request: HttpRequest, filters: Query[GapFilter]) -> Any:
    """Quarter and type with residents beyond the walking distance, of one type or tier."""
    access = _viewer(request)
    try:
        result = _analysis(access)
    except NoNetworkError:
        return _no_network()
    if filters.type:
        _check_type(result, filters.type)
    return filters.rows(result)


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
    return analysis.report(result)


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
