"""The life-circle rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/lifecircle/rules.py``: staff read the coverage map, gaps,
report, exports and standards; leaders and administrators try sites (what-if, suggestions);
administrators edit the standards and manage the walking network. Residents, building managers
and enterprise members get 403, except for the base map every map draws (which A's public map
of reports draws for a signed-out visitor too). The computed endpoints answer for the caller's
own sub-district, so B's administrator gets B's figures (B has a network of its own); A's
network versions (and A's base map) do not exist for B (404).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.lifecircle import services
from linli.lifecircle.models import WalkNetworkVersion
from tests.core.matrix import Endpoint, everyone, fixed, statuses
from tests.core.world import World
from tests.lifecircle.helpers import build_street, lonlat, osm_xml, street_network

PLANNERS = ADMINS | {Role.LEADER}


def populate(world: World) -> None:
    a = build_street(world.a.subdistrict)
    build_street(world.b.subdistrict, tag="B")
    # A second version in A, so that A's first one can be made current again.
    services.store_network(
        world.a.subdistrict,
        street_network(),
        source=WalkNetworkVersion.Source.DEMO,
        actor=Access.system(world.a.subdistrict),
    )
    world.extra["lifecircle"] = {"old_version": a["version"]}


def with_query(url_name: str, query: str):
    return lambda world, who: reverse(url_name) + "?" + query


def what_if_query() -> str:
    lon, lat = lonlat(900)
    return f"lon={lon}&lat={lat}&type=kindergarten"


def use_url(world: World, who: str) -> str:
    return reverse(
        "lifecircle:network_use", kwargs={"pk": world.extra["lifecircle"]["old_version"].pk}
    )


def osm_file(world: World, who: str) -> dict:
    return {"file": SimpleUploadedFile("creek.osm", osm_xml(), content_type="application/xml")}


def basemap_url(world: World, who: str) -> str:
    return reverse("lifecircle:basemap", args=[world.a.subdistrict.code])


ENDPOINTS: list[Endpoint] = [
    # Everybody in the sub-district draws its base map, and so does a signed-out visitor of
    # A's public map of reports (on by default; tests/cases/test_public_basemap.py); B's
    # administrator has B's, not A's.
    Endpoint("lifecircle:basemap", "GET", basemap_url, everyone(200, other=404)),
    Endpoint("lifecircle:map", "GET", fixed("lifecircle:map"), statuses(STAFF)),
    Endpoint("lifecircle:gaps", "GET", fixed("lifecircle:gaps"), statuses(STAFF)),
    Endpoint("lifecircle:report", "GET", fixed("lifecircle:report"), statuses(STAFF)),
    Endpoint("lifecircle:report_xlsx", "GET", fixed("lifecircle:report_xlsx"), statuses(STAFF)),
    Endpoint("lifecircle:report_pdf", "GET", fixed("lifecircle:report_pdf"), statuses(STAFF)),
    Endpoint("lifecircle:standards", "GET", fixed("lifecircle:standards"), statuses(STAFF)),
    # An empty form comes back with its errors for those who may edit.
    Endpoint(
        "lifecircle:standards",
        "POST",
        fixed("lifecircle:standards"),
        statuses(ADMINS),
        data=lambda w, who: {},
    ),
    Endpoint("lifecircle:network", "GET", fixed("lifecircle:network"), statuses(ADMINS)),
    Endpoint(
        "lifecircle:network",
        "POST",
        fixed("lifecircle:network"),
        statuses(ADMINS),
        data=lambda w, who: {},
    ),
    Endpoint("lifecircle:network_use", "POST", use_url, statuses(ADMINS, 302, other=404)),
    Endpoint(
        "api:lifecircle_network",
        "GET",
        fixed("api:lifecircle_network"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_network_upload",
        "POST",
        fixed("api:lifecircle_network_upload"),
        statuses(ADMINS, 201, anonymous=401),
        files=osm_file,
    ),
    Endpoint(
        "api:lifecircle_coverage",
        "GET",
        fixed("api:lifecircle_coverage"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_gaps", "GET", fixed("api:lifecircle_gaps"), statuses(STAFF, anonymous=401)
    ),
    Endpoint(
        "api:lifecircle_report",
        "GET",
        fixed("api:lifecircle_report"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_service_area",
        "GET",
        with_query("api:lifecircle_service_area", "type=kindergarten"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_map_layers",
        "GET",
        with_query("api:lifecircle_map_layers", "type=kindergarten"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_what_if",
        "GET",
        lambda w, who: reverse("api:lifecircle_what_if") + "?" + what_if_query(),
        statuses(PLANNERS, anonymous=401),
    ),
    Endpoint(
        "api:lifecircle_suggestions",
        "GET",
        with_query("api:lifecircle_suggestions", "type=kindergarten"),
        statuses(PLANNERS, anonymous=401),
    ),
]
