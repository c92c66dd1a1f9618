"""The permission matrix: role × endpoint × method → HTTP status, for every page and API call.

One table (``ENDPOINTS``) says, for each endpoint and method, what every one of the 11 roles, an
anonymous visitor and an administrator of *another* sub-district get. Records are those of
sub-district A (see ``tests/core/world.py``); the other sub-district's administrator must get 404
for every one of them. ``test_every_url_is_in_the_matrix`` fails when a URL pattern exists that
the table does not list, so a new endpoint cannot be added without deciding who may use it.

To add an endpoint: append an ``Endpoint`` to ``ENDPOINTS`` (or to the per-kind generators) with
``expect=statuses(<roles allowed>, ...)``. Another app adds its rows in
``tests/<app>/permission_rows.py`` (see ``tests/core/matrix.py``); they join this same table.

Each row is one test that calls the endpoint as every column, each call in its own savepoint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.registry.exports import to_csv
from linli.registry.forms import form_class
from linli.registry.kinds import KINDS
from tests.core.matrix import (
    Data,
    Endpoint,
    Url,
    contributed_rows,
    everyone,
    fixed,
    populated_world,
    statuses,
)
from tests.core.world import ANONYMOUS, COLUMNS, World
from tests.factories import credit_code

BM = Role.BUILDING_MANAGER
EM = Role.ENTERPRISE_MEMBER

# Who reads and who edits each registry kind (linli/registry/rules.py).
READERS: dict[str, frozenset[str]] = {
    "organisation": STAFF,
    "grid": STAFF,
    "quarter": STAFF,
    "building": STAFF | {BM},
    "enterprise": STAFF | {BM, EM},
    "facility": EVERYONE,
}
EDITORS: dict[str, frozenset[str]] = {
    kind: ADMINS | {Role.BUTLER, Role.AMBASSADOR} if kind == "enterprise" else ADMINS
    for kind in KINDS
}
IMPORTERS = ADMINS
# Unmasking the enterprise's contact: admins, handlers and window staff; the butler whose
# portfolio it is; the enterprise's own member.
UNMASKERS = ADMINS | {Role.HANDLER, Role.WINDOW_STAFF, Role.BUTLER, EM}


def outside_portfolio(kind: str, expect: dict) -> dict:
    """The spare enterprise is in no portfolio: a butler sees only their own (404)."""
    return {**expect, Role.BUTLER: 404} if kind == "enterprise" else expect


def record_url(name: str, kind: str, *, spare: bool = False) -> Url:
    def url(world: World, who: str) -> str:
        record = (world.a.spare if spare else world.a.records)[kind]
        return reverse(name, kwargs={"kind": kind, "pk": record.pk})

    return url


def api_url(name: str, kind: str, *, spare: bool = False) -> Url:
    def url(world: World, who: str) -> str:
        record = (world.a.spare if spare else world.a.records)[kind]
        return reverse(name, kwargs={"pk": record.pk})

    return url


def edit_form_data(kind: str) -> Data:
    """The record's current values as its edit form would submit them."""

    def data(world: World, who: str) -> dict[str, Any]:
        record = world.a.records[kind]
        with scopes_disabled():
            form = form_class(kind)(instance=record, subdistrict=world.a.subdistrict)
            values = {name: form[name].value() for name in form.fields}
        return {name: "" if value is None else value for name, value in values.items()}

    return data


def create_payload(kind: str) -> Data:
    def data(world: World, who: str) -> dict[str, Any]:
        building = world.a.records["building"]
        return {
            "organisation": {"kind": "department", "code": "NEW-ORG", "name": "New department"},
            "grid": {"code": "NEW-G", "name": "New grid"},
            "quarter": {"code": "NEW-Q", "name": "New quarter", "households": 10},
            "building": {
                "code": "NEW-B",
                "name": "New tower",
                "address": "1 Jiangning Road",
                "lon": 121.45,
                "lat": 31.24,
                "floor_area_m2": "12000.0",
            },
            "enterprise": {
                "credit_code": credit_code(777001),
                "name": "New Enterprise Ltd",
                "industry_code": "I6510",
                "registered_capital": "100.00",
                "founded_on": "2021-03-01",
                "building": building.pk,
            },
            "facility": {
                "code": "NEW-F",
                "name": "New facility",
                "category": "park",
                "entrances": [[121.45, 31.24]],
            },
        }[kind]

    return data


def registry_pages(kind: str) -> list[Endpoint]:
    readers, editors = READERS[kind], EDITORS[kind]
    return [
        Endpoint(
            "registry:list", "GET", fixed("registry:list", kind=kind), statuses(readers), kind
        ),
        Endpoint(
            "registry:export",
            "GET",
            lambda w, who, kind=kind: (
                reverse("registry:export", kwargs={"kind": kind}) + "?format=csv"
            ),
            statuses(readers),
            kind,
        ),
        Endpoint(
            "registry:detail",
            "GET",
            record_url("registry:detail", kind),
            statuses(readers, other=404),
            kind,
        ),
        Endpoint(
            "registry:create", "GET", fixed("registry:create", kind=kind), statuses(editors), kind
        ),
        # An empty form comes back with its errors (200) for those who may create.
        Endpoint(
            "registry:create",
            "POST",
            fixed("registry:create", kind=kind),
            statuses(editors),
            kind,
            data=lambda w, who: {},
        ),
        Endpoint(
            "registry:edit",
            "GET",
            record_url("registry:edit", kind),
            statuses(editors, other=404),
            kind,
        ),
        Endpoint(
            "registry:edit",
            "POST",
            record_url("registry:edit", kind),
            statuses(editors, 302, other=404),
            kind,
            data=edit_form_data(kind),
        ),
        Endpoint(
            "registry:delete",
            "POST",
            record_url("registry:delete", kind, spare=True),
            outside_portfolio(kind, statuses(editors, 302, other=404)),
            kind,
        ),
        Endpoint(
            "registry:import", "GET", fixed("registry:import", kind=kind), statuses(IMPORTERS), kind
        ),
        # Without a file the upload form comes back with its error.
        Endpoint(
            "registry:import",
            "POST",
            fixed("registry:import", kind=kind),
            statuses(IMPORTERS),
            kind,
            data=lambda w, who: {},
        ),
    ]


def import_file(kind: str) -> Data:
    """An export of A's spare record (it refers to nothing), to check in a dry run."""

    def files(world: World, who: str) -> dict[str, Any]:
        with scopes_disabled():
            content = to_csv(KINDS[kind], [world.a.spare[kind]])
        return {"file": SimpleUploadedFile(f"{kind}.csv", content, content_type="text/csv")}

    return files


def registry_api(kind: str) -> list[Endpoint]:
    readers, editors = READERS[kind], EDITORS[kind]
    plural = KINDS[kind].plural
    # B's administrator may create in B, but not pointing at A's building (400).
    create_other = 400 if kind == "enterprise" else 201
    return [
        Endpoint(
            f"api:list_{plural}",
            "GET",
            fixed(f"api:list_{plural}"),
            statuses(readers, anonymous=401),
            kind,
        ),
        Endpoint(
            f"api:get_{kind}",
            "GET",
            api_url(f"api:get_{kind}", kind),
            statuses(readers, anonymous=401, other=404),
            kind,
        ),
        Endpoint(
            f"api:create_{kind}",
            "POST",
            fixed(f"api:create_{kind}"),
            statuses(editors, 201, anonymous=401, other=create_other),
            kind,
            data=create_payload(kind),
            json=True,
        ),
        Endpoint(
            f"api:update_{kind}",
            "PATCH",
            api_url(f"api:update_{kind}", kind),
            statuses(editors, anonymous=401, other=404),
            kind,
            data=lambda w, who: {"name": "Renamed"},
            json=True,
        ),
        Endpoint(
            f"api:delete_{kind}",
            "DELETE",
            api_url(f"api:delete_{kind}", kind, spare=True),
            outside_portfolio(kind, statuses(editors, 204, anonymous=401, other=404)),
            kind,
            json=True,
        ),
        Endpoint(
            "api:import_file",
            "POST",
            lambda w, who: reverse(f"api:list_{plural}") + "/import?dry_run=true",
            statuses(IMPORTERS, anonymous=401),
            kind,
            files=import_file(kind),
        ),
    ]


ENDPOINTS: list[Endpoint] = [
    Endpoint("home", "GET", fixed("home"), statuses()),
    Endpoint(
        "login", "GET", fixed("login"), {**everyone(302), ANONYMOUS: 200}
    ),  # signed in: straight home
    Endpoint("logout", "POST", fixed("logout"), everyone(302)),
    Endpoint("password_reset", "GET", fixed("password_reset"), everyone(200)),
    Endpoint("password_reset_done", "GET", fixed("password_reset_done"), everyone(200)),
    # A made-up link shows the "invalid link" page.
    Endpoint(
        "password_reset_confirm",
        "GET",
        fixed("password_reset_confirm", uidb64="MQ", token="bad-token"),
        everyone(200),
    ),
    Endpoint("password_reset_complete", "GET", fixed("password_reset_complete"), everyone(200)),
    Endpoint("totp_setup", "GET", fixed("totp_setup"), statuses()),
    Endpoint(
        "switch_subdistrict",
        "POST",
        fixed("switch_subdistrict"),
        statuses(ok=302, other=404),
        data=lambda w, who: {"subdistrict": w.a.subdistrict.pk},
    ),
    Endpoint("inbox", "GET", fixed("inbox"), statuses()),
    Endpoint(
        "mark_read",
        "POST",
        lambda w, who: reverse("mark_read", kwargs={"pk": w.notifications.get(who, 1)}),
        statuses(ok=302, other=404),
    ),
    Endpoint("audit_log", "GET", fixed("audit_log"), statuses(ADMINS | {Role.LEADER})),
    Endpoint(
        "unmask",
        "POST",
        lambda w, who: reverse(
            "unmask",
            kwargs={"model": "enterprise", "kind": "phone", "pk": w.a.records["enterprise"].pk},
        ),
        statuses(UNMASKERS, other=404),
    ),
    Endpoint("registry:map", "GET", fixed("registry:map"), statuses(STAFF | {BM})),
    # The map's place search: public places, for everybody in the sub-district.
    Endpoint(
        "registry:place_search",
        "GET",
        lambda w, who: reverse("registry:place_search") + "?q=tower",
        statuses(EVERYONE),
    ),
    # The public map's place search: A's public places for a signed-out visitor while A's map
    # is on (tests/cases/test_public_basemap.py), what A's people may locate; not for B.
    Endpoint(
        "registry:public_place_search",
        "GET",
        lambda w, who: (
            reverse("registry:public_place_search", args=[w.a.subdistrict.code]) + "?q=tower"
        ),
        everyone(200, other=404),
    ),
    Endpoint(
        "api:registry_map_layers",
        "GET",
        fixed("api:registry_map_layers"),
        statuses(anonymous=401),
    ),
    *[endpoint for kind in KINDS for endpoint in registry_pages(kind)],
    *[endpoint for kind in KINDS for endpoint in registry_api(kind)],
]
CONTRIBUTED, _ = contributed_rows()
ENDPOINTS += CONTRIBUTED


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def call(world: World, endpoint: Endpoint, who: str):
    client = world.client(who)
    url = endpoint.url(world, who)
    data = endpoint.data(world, who) if endpoint.data else None
    method = getattr(client, endpoint.method.lower())
    if endpoint.json:
        body = json.dumps(data) if data is not None else ""
        return method(url, body, content_type="application/json")
    if endpoint.method == "GET":
        return method(url)
    if endpoint.files:
        return method(url, {**(data or {}), **endpoint.files(world, who)})
    return method(url, data or {})


def described_by_nothing(response) -> list[str]:
    """Ids an HTML page's ``aria-describedby`` points at that the page does not hold: a screen
    reader then reads no help and no error for the field."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    wanted = {i for v in re.findall(r'aria-describedby="([^"]*)"', html) for i in v.split()}
    return sorted(wanted - ids)


def outcome(world: World, endpoint: Endpoint, who: str) -> str:
    """What went wrong for one column, or "" when the status is the expected one. Each call
    runs in its own savepoint, so one role's delete does not change what the next one sees."""
    expected = endpoint.expect[who]
    with transaction.atomic():
        response = call(world, endpoint, who)
        transaction.set_rollback(True)
    if response.status_code != expected:
        return f"{who}: got {response.status_code}, expected {expected}"
    if "Content-Security-Policy" not in response or "Permissions-Policy" not in response:
        return f"{who}: answered without the security headers"
    if missing := described_by_nothing(response):
        return f"{who}: aria-describedby names no element: {missing}"
    to_login = response.get("Location", "").startswith(reverse("login"))
    if expected == 302 and who == ANONYMOUS and endpoint.name != "logout" and not to_login:
        return f"{who}: redirected to {response['Location']}, not to sign in"
    return ""


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e.id}-{e.method}" for e in ENDPOINTS])
def test_permission_matrix(db, world, endpoint: Endpoint) -> None:
    """One row of the matrix: every role, a visitor and another sub-district's admin."""
    wrong = [problem for who in COLUMNS if (problem := outcome(world, endpoint, who))]
    assert not wrong, f"{endpoint.method} {endpoint.url(world, 'x')}:\n" + "\n".join(wrong)


EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/")
EXCLUDED_NAMES = {"api:api-root", "api:openapi-json", "api:openapi-view"}


def url_patterns(
    patterns: list, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from url_patterns(p.url_patterns, route, ns)
        else:
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield route, name, p


PLURALS = {spec.plural: key for key, spec in KINDS.items()}
REGISTRY_API = re.compile(r"^api/v1/registry/(?P<plural>[a-z_]+)(/|$)")


def required_rows() -> Iterator[tuple[str, str, str]]:
    """(route, name, kind) of every URL pattern the matrix must cover: page patterns taking a
    ``<kind>`` once per registry kind, registry API routes with the kind their path names."""
    for route, name, pattern in url_patterns(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES) or name in EXCLUDED_NAMES:
            continue
        if name.startswith("registry:") and "kind" in pattern.pattern.converters:
            for kind in KINDS:
                yield route, name, kind
        elif (match := REGISTRY_API.match(route)) and match["plural"] in PLURALS:
            yield route, name, PLURALS[match["plural"]]
        else:
            yield route, name, ""


def test_every_url_is_in_the_matrix() -> None:
    """Walk the URLconf: every named page and API operation must have a row in ENDPOINTS."""
    covered = {(e.name, e.kind) for e in ENDPOINTS}
    missing = [
        f"{route}  {name or '(unnamed)'}  {kind}"
        for route, name, kind in required_rows()
        if not name or (name, kind) not in covered
    ]
    assert not missing, "URLs without a row in the permission matrix:\n" + "\n".join(missing)


def test_every_column_has_an_expectation() -> None:
    for endpoint in ENDPOINTS:
        assert set(endpoint.expect) == set(COLUMNS), endpoint.id
