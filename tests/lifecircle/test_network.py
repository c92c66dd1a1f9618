"""Importing a walking network through the service: storage, the current-version switch, and a
bad file that leaves the stored network as it was, with a translated error."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled
from scipy.sparse import csgraph

from linli.core.access import Access
from linli.core.models import AuditEntry, Subdistrict
from linli.core.roles import Role
from linli.lifecircle import network_store, services
from linli.lifecircle.models import WalkNetworkVersion
from tests.lifecircle.engine.helpers import pbf_declaring
from tests.lifecircle.helpers import BOUNDARY, CREEK_BOUNDARY, lonlat, osm_xml


def street_geojson() -> bytes:
    line = [lonlat(x) for x in range(0, 1001, 100)]
    creek = [lonlat(450, -100), lonlat(450, 100)]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"highway": "residential"},
                    "geometry": {"type": "LineString", "coordinates": line},
                },
                # A river across the street: a barrier, not a street.
                {
                    "type": "Feature",
                    "properties": {"waterway": "canal"},
                    "geometry": {"type": "LineString", "coordinates": creek},
                },
            ],
        }
    ).encode()


@pytest.fixture
def area(subdistrict):
    with scopes_disabled():
        Subdistrict.objects.filter(pk=subdistrict.pk).update(boundary=CREEK_BOUNDARY)
    subdistrict.boundary = CREEK_BOUNDARY
    return subdistrict


@pytest.fixture
def admin_access(area, make_user):
    user = make_user(Role.SUBDISTRICT_ADMIN, area)
    return Access.for_user(user, area)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def node_near(network, x: float, y: float) -> int:
    lon, lat = lonlat(x, y)
    return int(np.argmin((network.lon - lon) ** 2 + (network.lat - lat) ** 2))


def test_osm_import_is_stored_current_and_crosses_only_at_the_bridge(area, admin_access):
    with scope(subdistrict=area):
        version = services.import_network(
            area, upload("creek.osm", osm_xml()), kind="osm_xml", actor=admin_access
        )
        stored = WalkNetworkVersion.objects.get()
        assert AuditEntry.objects.filter(action="lifecircle.network.import").count() == 1
    assert stored.pk == version.pk and stored.is_current
    assert (stored.source, stored.file_name) == ("osm_xml", "creek.osm")
    assert (stored.node_count, stored.edge_count, stored.bridge_count) == (7, 6, 2)
    assert stored.sha256 == network_store.digest(bytes(stored.data))

    network = network_store.from_bytes(bytes(stored.data))
    dist = csgraph.dijkstra(network.graph, indices=node_near(network, 0, 0))
    # From the south bank's west end to the north bank's: 200 m as the crow flies, but the
    # walk goes round by the footbridge at x=600.
    assert dist[node_near(network, 0, 200)] == pytest.approx(1400, abs=1.0)
    assert dist[node_near(network, 300, 200)] == pytest.approx(1100, abs=1.0)


def test_a_new_import_becomes_current_and_an_old_one_can_come_back(area, admin_access):
    with scope(subdistrict=area):
        first = services.import_network(
            area, upload("creek.osm", osm_xml()), kind="osm_xml", actor=admin_access
        )
        second = services.import_network(
            area, upload("street.geojson", street_geojson()), kind="geojson", actor=admin_access
        )
        first.refresh_from_db()
        assert not first.is_current and second.is_current
        assert services.current_version(area).pk == second.pk
        # The canal is a barrier: the street is cut at x=450, and the engine keeps the larger
        # piece (x=500..1000) since both are below its fragment size.
        assert (second.node_count, second.edge_count) == (6, 5)
        services.use_network_version(first, actor=admin_access)
        assert services.current_version(area).pk == first.pk
        assert WalkNetworkVersion.objects.filter(is_current=True).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "kind", "reason"),
    [
        ("broken.osm", b"<osm><node id='1' lat='x'", "osm_xml", "not a readable OpenStreetMap"),
        ("empty.osm.pbf", b"", "osm_pbf", "The file is empty."),
        (
            "nothing.geojson",
            b'{"type": "FeatureCollection", "features": []}',
            "geojson",
            "no walkable",
        ),
        ("bad.geojson", b"{not json", "geojson", "not valid JSON"),
        (
            "far.geojson",
            json.dumps(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[100.0, 10.0], [100.01, 10.0]],
                    },
                }
            ).encode(),
            "geojson",
            "within 1 km",
        ),
    ],
)
def test_a_bad_file_leaves_the_network_intact(area, admin_access, name, content, kind, reason):
    with scope(subdistrict=area):
        good = services.import_network(
            area, upload("creek.osm", osm_xml()), kind="osm_xml", actor=admin_access
        )
        with pytest.raises(services.NetworkUploadError) as caught:
            services.import_network(area, upload(name, content), kind=kind, actor=admin_access)
        assert list(WalkNetworkVersion.objects.values_list("pk", "is_current")) == [(good.pk, True)]
        assert WalkNetworkVersion.objects.get().sha256 == good.sha256
    message = caught.value.message
    assert message.startswith(f"{name}: ")
    assert reason.lower() in message.lower()
    assert "The current walking network is unchanged." in message
    assert "linli-network-upload" not in message  # no temporary path leaks out


def test_the_error_is_in_the_users_language(area, admin_access):
    with scope(subdistrict=area), translation.override("zh-hans"):
        with pytest.raises(services.NetworkUploadError) as caught:
            services.import_network(
                area, upload("x.osm", b"garbage"), kind="osm_xml", actor=admin_access
            )
        expected = gettext("%(file)s: %(reason)s The current walking network is unchanged.") % {
            "file": "x.osm",
            "reason": gettext("This is not a readable OpenStreetMap file (.osm.pbf or .osm XML)."),
        }
    assert caught.value.message == expected


def test_without_a_boundary_the_upload_is_refused(subdistrict, make_user):
    access = Access.for_user(make_user(Role.SUBDISTRICT_ADMIN, subdistrict), subdistrict)
    with scope(subdistrict=subdistrict), pytest.raises(services.NetworkUploadError) as caught:
        services.import_network(
            subdistrict, upload("c.osm", osm_xml()), kind="osm_xml", actor=access
        )
    assert "no boundary" in caught.value.message


def test_only_administrators_import(area, make_user):
    from django.core.exceptions import PermissionDenied

    leader = Access.for_user(make_user(Role.LEADER, area), area)
    with scope(subdistrict=area), pytest.raises(PermissionDenied):
        services.import_network(area, upload("c.osm", osm_xml()), kind="osm_xml", actor=leader)


def test_upload_through_the_api_and_the_page(area, make_user, client_for):
    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, area))
    url = reverse("api:lifecircle_network_upload")
    bad = client.post(url, {"file": upload("bad.osm", b"nonsense")})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_file"
    ok = client.post(url, {"file": upload("creek.osm", osm_xml())})
    assert ok.status_code == 201, ok.content
    assert ok.json()["bridge_count"] == 2 and ok.json()["is_current"]
    info = client.get(reverse("api:lifecircle_network")).json()
    assert info["current"]["id"] == ok.json()["id"]

    page = client.post(reverse("lifecircle:network"), {"file": upload("bad.osm", b"nonsense")})
    assert page.status_code == 200
    assert "The current walking network is unchanged." in page.content.decode()
    page = client.post(
        reverse("lifecircle:network"), {"file": upload("street.geojson", street_geojson())}
    )
    assert page.status_code == 302
    with scope(subdistrict=area):
        assert services.current_version(area).source == "geojson"


def test_the_boundary_in_tests_is_usable(subdistrict):
    assert BOUNDARY["type"] == "Polygon"


def test_an_overlong_file_name_is_refused_not_cut(area, make_user, client_for):
    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, area))
    name = "a" * 200 + ".osm"
    api = client.post(reverse("api:lifecircle_network_upload"), {"file": upload(name, osm_xml())})
    assert api.status_code == 400 and "At most 200 characters" in api.json()["message"]
    page = client.post(reverse("lifecircle:network"), {"file": upload(name, osm_xml())})
    assert page.status_code == 200 and "At most 200 characters" in page.content.decode()
    with scope(subdistrict=area):
        assert not WalkNetworkVersion.objects.exists()


def test_a_pbf_that_would_unpack_past_the_limit_is_refused_with_its_name(
    area, admin_access, make_user, client_for
):
    # 40 blocks that each declare 32 MiB: 1.25 GiB from a file of a few KB.
    bomb = pbf_declaring([32 * 1024 * 1024] * 40)
    assert services.MAX_UNPACKED_BYTES < 40 * 32 * 1024 * 1024
    with scope(subdistrict=area):
        good = services.import_network(
            area, upload("creek.osm", osm_xml()), kind="osm_xml", actor=admin_access
        )
        with pytest.raises(services.NetworkUploadError) as caught:
            services.import_network(
                area, upload("bomb.osm.pbf", bomb), kind="osm_pbf", actor=admin_access
            )
        assert list(WalkNetworkVersion.objects.values_list("pk", "is_current")) == [(good.pk, True)]
    assert caught.value.message == (
        "bomb.osm.pbf: The file unpacks to more than 1024 MB; cut the extract to the district "
        "first. The current walking network is unchanged."
    )

    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, area))
    page = client.post(reverse("lifecircle:network"), {"file": upload("bomb.osm.pbf", bomb)})
    assert page.status_code == 200
    assert "unpacks to more than 1024 MB" in page.content.decode()
    api = client.post(reverse("api:lifecircle_network_upload"), {"file": upload("b.pbf", bomb)})
    assert api.status_code == 400
    assert api.json()["fields"]["file"] == [api.json()["message"]]
    assert api.json()["message"].startswith("b.pbf: The file unpacks to more than 1024 MB")
    with scope(subdistrict=area):
        assert WalkNetworkVersion.objects.count() == 1
