"""Import from CSV and Excel: dry run, every bad row reported, all or nothing, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from linli.core.access import Access
from linli.core.models import AuditEntry, Organisation
from linli.core.pii import lookup_hash
from linli.registry import exports, importers
from linli.registry.importers import ImportFileError, import_records
from linli.registry.kinds import KINDS
from linli.registry.models import Building, Enterprise, Facility, Grid, Quarter
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    FacilityFactory,
    GridFactory,
    OrganisationFactory,
    QuarterFactory,
    credit_code,
)

ENTERPRISE_COLUMNS = exports.export_columns(KINDS["enterprise"])
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.45, 31.23], [121.46, 31.23], [121.46, 31.24], [121.45, 31.23]]],
}


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def enterprise_row(n: int, building: str = "", **values) -> list:
    row = {
        "credit_code": credit_code(n),
        "name": f"Enterprise {n} Ltd",
        "industry_code": "I6510",
        "registered_capital": "500",
        "founded_on": "2018-05-01",
        "headcount": "40",
        "building": building,
        "status": "active",
        **values,
    }
    return [row.get(c, "") for c in ENTERPRISE_COLUMNS]


@pytest.fixture
def admin(make_user, subdistrict):
    return make_user("subdistrict_admin", subdistrict)


@pytest.fixture
def actor(admin, subdistrict):
    return Access.for_user(admin, subdistrict)


@pytest.fixture
def tower(subdistrict):
    return BuildingFactory(subdistrict=subdistrict, code="B01")


def counts() -> tuple[int, int]:
    with scopes_disabled():
        return Enterprise.objects.count(), AuditEntry.objects.count()


def three_bad_rows() -> bytes:
    good = credit_code(7)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    return xlsx(
        [
            ENTERPRISE_COLUMNS,
            enterprise_row(1, "B01", credit_code=wrong_check),
            enterprise_row(2, "B999"),
            enterprise_row(3, "B01", headcount="-5"),
            enterprise_row(4, "B01"),
        ]
    )


# --- the example of the issue: three bad rows, all reported, nothing written -----------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_three_bad_rows_are_all_reported_and_nothing_is_written(actor, tower, in_scope, dry_run):
    before = counts()

    report = import_records(actor, "enterprise", "bad.xlsx", three_bad_rows(), dry_run=dry_run)

    assert not report.committed
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "credit_code"),
        (3, "building"),
        (4, "headcount"),
    ]
    messages = [e.message for e in report.errors]
    assert "check character" in messages[0]
    assert messages[1] == "No building or park with code B999."
    assert messages[2] == "Ensure this value is greater than or equal to 0."
    assert counts() == before


def test_the_reasons_come_in_the_users_language(actor, tower, in_scope):
    before = counts()

    with translation.override("zh-hans"):
        report = import_records(actor, "enterprise", "bad.xlsx", three_bad_rows(), dry_run=False)
        summary = report.summary()

    assert len(report.errors) == 3
    assert report.errors[2].message == "确保该值大于或等于0。"
    assert summary
    assert counts() == before


def test_one_bad_row_keeps_every_good_row_out(actor, tower, in_scope):
    content = xlsx(
        [ENTERPRISE_COLUMNS, *(enterprise_row(n, "B01") for n in range(1, 6)), enterprise_row(9)]
    )
    content_bad = xlsx(
        [
            ENTERPRISE_COLUMNS,
            *(enterprise_row(n, "B01") for n in range(1, 6)),
            enterprise_row(9, founded_on="not a date"),
        ]
    )
    before = counts()

    report = import_records(actor, "enterprise", "e.xlsx", content_bad, dry_run=False)

    assert [(e.row, e.field) for e in report.errors] == [(7, "founded_on")]
    assert counts() == before
    assert import_records(actor, "enterprise", "e.xlsx", content, dry_run=False).committed


def test_repeated_keys_in_one_file_are_reported(actor, tower, in_scope):
    content = xlsx(
        [ENTERPRISE_COLUMNS, enterprise_row(1, "B01"), enterprise_row(2), enterprise_row(1)]
    )

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    assert [(e.row, e.field) for e in report.errors] == [(4, "credit_code")]
    assert "row 2" in report.errors[0].message


def test_row_numbers_are_those_of_the_spreadsheet(actor, tower, in_scope):
    content = xlsx(
        [ENTERPRISE_COLUMNS, enterprise_row(1), [], [None], enterprise_row(2, headcount="x")]
    )

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    assert [(e.row, e.field) for e in report.errors] == [(5, "headcount")]


def test_other_subdistricts_codes_are_unknown(actor, other_subdistrict, in_scope):
    BuildingFactory(subdistrict=other_subdistrict, code="B77")
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, "B77")])

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (2, "building", "No building or park with code B77.")
    ]


# --- writing: created, updated, audited ------------------------------------------------------


def test_an_import_creates_and_updates_by_key_with_audit(actor, tower, subdistrict, in_scope):
    existing = EnterpriseFactory(
        subdistrict=subdistrict, credit_code=credit_code(1), name="Enterprise 1 Ltd", headcount=3
    )
    columns = [*ENTERPRISE_COLUMNS, "contact_phone"]
    content = xlsx(
        [
            columns,
            [*enterprise_row(1, "B01", headcount=12), ""],
            [*enterprise_row(2, "B01", tags="high_tech;key"), "138 0013 8000"],
        ]
    )
    audit_before = AuditEntry.objects.count()

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=False)

    assert report.committed and (report.created, report.updated, report.unchanged) == (1, 1, 0)
    existing.refresh_from_db()
    assert existing.headcount == 12 and existing.building == tower
    new = Enterprise.objects.get(credit_code=credit_code(2))
    assert new.tags == ["high_tech", "key"]
    assert new.contact_phone == "13800138000"
    assert new.contact_phone_hash == lookup_hash("13800138000")
    entries = list(AuditEntry.objects.order_by("id"))[audit_before:]
    assert [(e.action, e.object_id) for e in entries] == [
        ("registry.enterprise.update", str(existing.pk)),
        ("registry.enterprise.create", str(new.pk)),
        ("registry.enterprise.import", ""),
    ]
    assert entries[0].before == {"headcount": 3, "building_id": None}
    assert entries[0].after == {"headcount": 12, "building_id": tower.pk}
    assert all(e.actor_id == actor.user.pk for e in entries)
    assert entries[2].after["created"] == 1


def test_a_dry_run_counts_what_would_happen(actor, tower, subdistrict, in_scope):
    EnterpriseFactory(subdistrict=subdistrict, credit_code=credit_code(1))
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, headcount=99), enterprise_row(2)])
    before = counts()

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    assert report.ok and not report.committed
    assert (report.rows, report.created, report.updated) == (2, 1, 1)
    assert counts() == before


def test_excel_cells_keep_their_types(actor, tower, in_scope):
    row = enterprise_row(1, "B01")
    row[ENTERPRISE_COLUMNS.index("founded_on")] = dt.datetime(2019, 3, 4)
    row[ENTERPRISE_COLUMNS.index("registered_capital")] = 1234.5
    row[ENTERPRISE_COLUMNS.index("headcount")] = 40.0
    content = xlsx([ENTERPRISE_COLUMNS, row])

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=False)

    assert report.committed
    record = Enterprise.objects.get()
    assert record.founded_on == dt.date(2019, 3, 4)
    assert record.registered_capital == Decimal("1234.5")
    assert record.headcount == 40


def test_labels_choices_and_loose_dates_are_understood(actor, tower, in_scope):
    header = ["Unified Social Credit Code", "NAME", "industry (GB/T 4754)"]
    header += ["Registered capital (10k yuan)", "founded on", "headcount", "status", "Building"]
    header += ["qualification tags"]
    row = [credit_code(1), "Labelled Ltd", "I65", "10", "2020/3/1", "5", "Moving out", "B01"]
    row += ["High-tech enterprise；key"]
    content = csv_bytes([header, row])

    report = import_records(actor, "enterprise", "e.csv", content, dry_run=False)

    assert report.committed, report.errors
    record = Enterprise.objects.get()
    assert record.founded_on == dt.date(2020, 3, 1)
    assert record.status == Enterprise.Status.MOVING_OUT
    assert record.tags == ["high_tech", "key"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_columns_may_be_titled_with_the_translated_labels(actor, tower, in_scope, language):
    with translation.override(language):
        header = [str(Enterprise._meta.get_field(c).verbose_name) for c in ENTERPRISE_COLUMNS]
    content = xlsx([header, enterprise_row(1, "B01", headcount="-1")])

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    # Reported under the column title as the file wrote it.
    assert [(e.row, e.field) for e in report.errors] == [(2, header[5])]


def test_a_butler_is_named_by_username(actor, tower, subdistrict, make_user, in_scope):
    make_user("butler", subdistrict, username="wang.butler")
    make_user("resident", subdistrict, username="li.resident")
    content = xlsx(
        [
            ENTERPRISE_COLUMNS,
            enterprise_row(1, butler="wang.butler"),
            enterprise_row(2, butler="li.resident"),
        ]
    )

    report = import_records(actor, "enterprise", "e.xlsx", content, dry_run=True)

    assert [(e.row, e.field) for e in report.errors] == [(3, "butler")]
    assert "li.resident" in report.errors[0].message


# --- file formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_offices_use(actor, tower, in_scope, encoding):
    content = csv_bytes(
        [ENTERPRISE_COLUMNS, enterprise_row(1, "B01", name="上海邻里科技有限公司")], encoding
    )

    report = import_records(actor, "enterprise", "企业.csv", content, dry_run=False)

    assert report.committed, report.errors
    assert Enterprise.objects.get().name == "上海邻里科技有限公司"


def test_tab_separated_text_is_read_too(actor, tower, in_scope):
    lines = ["\t".join(ENTERPRISE_COLUMNS), "\t".join(map(str, enterprise_row(1, "B01")))]
    content = "\n".join(lines).encode("utf-8")

    assert import_records(actor, "enterprise", "e.csv", content, dry_run=False).committed


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("e.xlsx", b"", "empty"),
        ("e.txt", b"a,b\n1,2\n", ".csv or .xlsx"),
        ("e.xlsx", b"\x00\x01garbage\xff" * 50, "Excel"),
        ("e.csv", b"\x00\x01\x02\xff\xfe" * 50, "CSV"),
        ("e.csv", (",".join(ENTERPRISE_COLUMNS) + "\n").encode(), "no rows"),
        ("e.csv", f"name,shoe_size\nX,{40}\n".encode(), "shoe_size"),
        ("e.csv", b"name\nX\n", "Missing required columns"),
        ("e.csv", b"credit_code,credit_code\n", "more than once"),
        ("e.csv", b"\n\ncredit_code\n", "first row"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_reason(
    actor, in_scope, name, content, fragment
):
    with pytest.raises(ImportFileError) as caught:
        import_records(actor, "enterprise", name, content, dry_run=True)

    assert fragment in caught.value.message


def test_a_huge_file_is_refused_before_it_is_read(actor, in_scope, monkeypatch):
    monkeypatch.setattr(importers.files, "MAX_BYTES", 1000)

    with pytest.raises(ImportFileError, match="larger than"):
        import_records(actor, "enterprise", "e.csv", b"x" * 1001, dry_run=True)


# --- every kind: an export imports back without changing anything ----------------------------


def _every_kind(subdistrict):
    parent = OrganisationFactory(subdistrict=subdistrict, code="DEPT")
    committee = OrganisationFactory(
        subdistrict=subdistrict,
        code="JW01",
        kind=Organisation.Kind.COMMITTEE,
        parent=parent,
        phone="021-62001234",
    )
    grid = GridFactory(subdistrict=subdistrict, code="G01", polygon=SQUARE, organisation=parent)
    quarter = QuarterFactory(
        subdistrict=subdistrict,
        code="Q01",
        polygon=SQUARE,
        entrances=[[121.451, 31.231], [121.452, 31.232]],
        committee=committee,
        grid=grid,
        built_year=1996,
    )
    building = BuildingFactory(subdistrict=subdistrict, code="B01", grid=grid)
    EnterpriseFactory(
        subdistrict=subdistrict,
        building=building,
        tags=["high_tech", "headquarters"],
        lease_end=dt.date(2027, 6, 30),
        floor_area_m2=Decimal("812.5"),
        unit="1203",
    )
    FacilityFactory(subdistrict=subdistrict, quarter=quarter, capacity=40, opening_hours="8-18")


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged(actor, subdistrict, in_scope, kind, file_format):
    _every_kind(subdistrict)
    spec = KINDS[kind]
    records = list(spec.model.objects.order_by("pk"))
    before = [_state(r) for r in records]
    content = (exports.to_xlsx if file_format == "xlsx" else exports.to_csv)(spec, records)
    audit_before = AuditEntry.objects.count()

    report = import_records(actor, kind, f"{kind}.{file_format}", content, dry_run=False)

    assert report.committed, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(records))
    assert [_state(r) for r in spec.model.objects.order_by("pk")] == before
    # Only the summary: records that did not change have nothing to audit.
    assert AuditEntry.objects.count() == audit_before + 1


def _state(record):
    return {
        f.attname: getattr(record, f.attname)
        for f in record._meta.concrete_fields
        if not f.name.endswith("_cipher")
    }


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_export_imports_into_an_empty_subdistrict(
    actor, subdistrict, other_subdistrict, make_user, kind
):
    """Exported from one sub-district, imported into another: the same records appear."""
    with scope(subdistrict=other_subdistrict):
        _every_kind(other_subdistrict)
        # The related records an enterprise or quarter names must exist in the target first.
        exported = {
            k: exports.to_csv(KINDS[k], KINDS[k].model.objects.order_by("pk")) for k in KINDS
        }
    order = ["organisation", "grid", "quarter", "building", "enterprise", "facility"]
    with scope(subdistrict=subdistrict):
        for name in order[: order.index(kind) + 1]:
            report = import_records(actor, name, f"{name}.csv", exported[name], dry_run=False)
            assert report.committed, report.errors
        with scope(subdistrict=other_subdistrict):
            theirs = KINDS[kind].model.objects.count()
        assert KINDS[kind].model.objects.count() == theirs


def test_an_organisation_may_name_a_parent_further_down_the_file(actor, in_scope):
    content = csv_bytes(
        [
            ["kind", "code", "name", "parent"],
            ["committee", "JW01", "Jingan Committee", "OFFICE"],
            ["department", "OFFICE", "Sub-district office", ""],
        ]
    )

    report = import_records(actor, "organisation", "o.csv", content, dry_run=False)

    assert report.committed, report.errors
    assert Organisation.objects.get(code="JW01").parent == Organisation.objects.get(code="OFFICE")


def test_an_organisation_cannot_be_its_own_parent(actor, in_scope):
    content = csv_bytes([["kind", "code", "name", "parent"], ["department", "D1", "D", "D1"]])

    report = import_records(actor, "organisation", "o.csv", content, dry_run=True)

    assert [(e.row, e.field) for e in report.errors] == [(2, "parent")]


def test_facility_entrances_and_polygons_are_read(actor, in_scope):
    content = csv_bytes(
        [
            ["code", "name", "category", "entrances"],
            ["F1", "Health", "health_station", "121.45,31.23;121.46,31.24"],
            ["F2", "Shop", "convenience_shop", "121.45;31.23"],
            ["F3", "Park", "park", ""],
        ]
    )

    report = import_records(actor, "facility", "f.csv", content, dry_run=True)

    assert [(e.row, e.field) for e in report.errors] == [(3, "entrances"), (4, "entrances")]
    assert "lon,lat" in report.errors[0].message
    good = csv_bytes([["code", "name", "category", "entrances"], ["F1", "H", "park", "1,2;3,4"]])
    assert import_records(actor, "facility", "f.csv", good, dry_run=False).committed
    assert Facility.objects.get().entrances == [[1.0, 2.0], [3.0, 4.0]]
    grids = csv_bytes([["code", "name", "polygon"], ["G9", "Grid 9", json.dumps(SQUARE)]])
    assert import_records(actor, "grid", "g.csv", grids, dry_run=False).committed
    assert Grid.objects.get(code="G9").polygon == SQUARE


def test_an_update_keeps_the_columns_a_file_leaves_out(actor, subdistrict, in_scope):
    QuarterFactory(subdistrict=subdistrict, code="Q01", polygon=SQUARE, population=900)
    content = csv_bytes(
        [
            ["code", "name", "households", "population", "over_60"],
            ["Q01", "Quarter One", "400", "1200", "300"],
        ]
    )

    report = import_records(actor, "quarter", "q.csv", content, dry_run=False)

    assert report.committed and report.updated == 1
    quarter = Quarter.objects.get()
    assert (quarter.population, quarter.polygon) == (1200, SQUARE)


# --- who may import --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["handler", "butler", "leader", "resident"])
def test_only_admins_may_import(make_user, subdistrict, in_scope, role):
    access = Access.for_user(make_user(role, subdistrict), subdistrict)
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1)])

    with pytest.raises(PermissionDenied):
        import_records(access, "enterprise", "e.xlsx", content, dry_run=True)


@pytest.mark.parametrize("role", ["handler", "butler"])
def test_the_page_and_the_api_refuse_other_roles(make_user, client_for, subdistrict, role):
    client = client_for(make_user(role, subdistrict))
    upload = SimpleUploadedFile("e.xlsx", xlsx([ENTERPRISE_COLUMNS, enterprise_row(1)]))

    page = client.get(reverse("registry:import", kwargs={"kind": "enterprise"}))
    api = client.post("/api/v1/registry/enterprises/import", {"file": upload})

    assert page.status_code == 403
    assert api.status_code == 403
    assert api.json()["code"] == "forbidden"


def test_the_list_offers_import_to_admins_only(admin, make_user, client_for, subdistrict):
    url = reverse("registry:list", kwargs={"kind": "enterprise"})
    link = reverse("registry:import", kwargs={"kind": "enterprise"})

    assert link in client_for(admin).get(url).text
    assert link not in client_for(make_user("handler", subdistrict)).get(url).text


# --- the API ---------------------------------------------------------------------------------


def test_api_dry_run_then_import(admin, client_for, tower, subdistrict):
    client = client_for(admin)
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, "B01"), enterprise_row(2)])
    url = "/api/v1/registry/enterprises/import"

    dry = client.post(url + "?dry_run=true", {"file": SimpleUploadedFile("e.xlsx", content)})
    assert dry.status_code == 200, dry.content
    assert dry.json() | {"message": ""} == {
        "kind": "enterprise",
        "file": "e.xlsx",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "dry_run": True,
        "committed": False,
        "message": "",
    }
    assert counts()[0] == 0

    real = client.post(url, {"file": SimpleUploadedFile("e.xlsx", content)})
    assert real.status_code == 200, real.content
    assert real.json()["committed"] is True
    assert counts()[0] == 2


def test_api_reports_bad_rows_in_the_error_shape(admin, client_for, tower):
    client = client_for(admin)
    before = counts()

    response = client.post(
        "/api/v1/registry/enterprises/import",
        {"file": SimpleUploadedFile("bad.xlsx", three_bad_rows())},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert body["fields"] == {}
    assert "3 rows" in body["message"]
    assert [(r["row"], r["field"]) for r in body["rows"]] == [
        (2, "credit_code"),
        (3, "building"),
        (4, "headcount"),
    ]
    assert body["rows"][1]["message"] == "No building or park with code B999."
    assert counts() == before


def test_api_refuses_an_unreadable_file(admin, client_for):
    response = client_for(admin).post(
        "/api/v1/registry/facilities/import",
        {"file": SimpleUploadedFile("f.xlsx", b"PK\x03\x04 not really a zip")},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_file"
    assert body["rows"] == []
    assert body["fields"]["file"] == [body["message"]]


def test_api_documents_the_import_endpoints(admin, client_for):
    schema = client_for(admin).get("/api/openapi.json").json()

    operation = schema["paths"]["/api/v1/registry/facilities/import"]["post"]
    assert operation["operationId"] == "import_facilities"
    assert {"200", "400"} <= set(operation["responses"])
    assert "rows" in schema["components"]["schemas"]["ImportErrorOut"]["properties"]


# --- the page --------------------------------------------------------------------------------


def test_page_flow_check_then_confirm(admin, client_for, tower):
    client = client_for(admin)
    url = reverse("registry:import", kwargs={"kind": "enterprise"})
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, "B01"), enterprise_row(2)])

    page = client.get(url)
    assert page.status_code == 200
    assert 'type="file"' in page.text and "credit_code" in page.text

    checked = client.post(url, {"file": SimpleUploadedFile("e.xlsx", content)})
    assert checked.status_code == 200
    assert "2 would be created" in checked.text
    token = checked.context["token"]
    assert token and counts()[0] == 0

    done = client.post(url, {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert done["Location"] == reverse("registry:list", kwargs={"kind": "enterprise"})
    assert counts()[0] == 2
    # The kept file is used once.
    again = client.post(url, {"confirm": "1", "token": token})
    assert again.status_code == 200
    assert "upload it again" in again.text
    assert counts()[0] == 2


def test_page_shows_every_bad_row_and_no_confirm_button(admin, client_for, tower):
    client = client_for(admin)
    url = reverse("registry:import", kwargs={"kind": "enterprise"})
    before = counts()

    response = client.post(url, {"file": SimpleUploadedFile("bad.xlsx", three_bad_rows())})

    assert response.status_code == 200
    assert "No building or park with code B999." in response.text
    assert "Ensure this value is greater than or equal to 0." in response.text
    assert 'name="confirm"' not in response.text
    assert counts() == before


def test_page_in_chinese(admin, client_for, tower):
    client = client_for(admin)
    url = reverse("registry:import", kwargs={"kind": "enterprise"})

    response = client.post(
        url,
        {"file": SimpleUploadedFile("bad.xlsx", three_bad_rows())},
        headers={"accept-language": "zh-hans"},
    )

    assert "确保该值大于或等于0。" in response.text


def test_a_token_from_another_session_is_refused(admin, make_user, client_for, subdistrict, tower):
    url = reverse("registry:import", kwargs={"kind": "enterprise"})
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, "B01")])
    checked = client_for(admin).post(url, {"file": SimpleUploadedFile("e.xlsx", content)})
    other_admin = client_for(make_user("subdistrict_admin", subdistrict))

    response = other_admin.post(url, {"confirm": "1", "token": checked.context["token"]})

    assert response.status_code == 200
    assert counts()[0] == 0


def test_htmx_confirm_redirects_the_browser(admin, client_for, tower):
    client = client_for(admin)
    url = reverse("registry:import", kwargs={"kind": "enterprise"})
    content = xlsx([ENTERPRISE_COLUMNS, enterprise_row(1, "B01")])
    token = client.post(url, {"file": SimpleUploadedFile("e.xlsx", content)}).context["token"]

    response = client.post(url, {"confirm": "1", "token": token}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("registry:list", kwargs={"kind": "enterprise"})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("e.xlsx", b""),
        ("e.pdf", b"%PDF-1.4"),
        ("e.xlsx", bytes(range(256)) * 20),
        ("e.csv", bytes(range(256)) * 20),
        ("e.csv", b"name\nX\n"),
    ],
)
def test_page_explains_a_bad_file_without_failing(admin, client_for, name, content):
    url = reverse("registry:import", kwargs={"kind": "enterprise"})

    response = client_for(admin).post(url, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert 'name="confirm"' not in response.text


def test_page_refuses_a_huge_file(admin, client_for, monkeypatch):
    monkeypatch.setattr(importers.files, "MAX_BYTES", 1000)
    url = reverse("registry:import", kwargs={"kind": "building"})

    response = client_for(admin).post(url, {"file": SimpleUploadedFile("b.csv", b"x" * 2000)})

    assert response.status_code == 200
    assert "larger than" in response.text


def test_every_kind_has_an_import_page(admin, client_for):
    client = client_for(admin)
    for kind in KINDS:
        assert client.get(reverse("registry:import", kwargs={"kind": kind})).status_code == 200


def test_other_models_are_untouched_by_a_failed_import(actor, tower, in_scope):
    """A failed real import leaves no building, grid or audit row behind either."""
    before = (Building.objects.count(), Grid.objects.count(), AuditEntry.objects.count())

    import_records(actor, "enterprise", "bad.xlsx", three_bad_rows(), dry_run=False)

    assert (Building.objects.count(), Grid.objects.count(), AuditEntry.objects.count()) == before


def _zip_bomb() -> bytes:
    """A real workbook with one more part that unpacks to 300 MB from a few hundred KB."""
    import zipfile

    out = io.BytesIO(xlsx([["credit_code", "name"], ["x", "y"]]))
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
        bomb.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part,
    ):
        block = b"<row/>" * (1 << 17)
        for _ in range(300_000_000 // len(block)):
            part.write(block)
    return out.getvalue()


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_read(actor, in_scope):
    import resource

    bomb = _zip_bomb()
    assert len(bomb) < 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImportFileError) as refused:
        import_records(actor, "enterprise", "bomb.xlsx", bomb, dry_run=True)
    assert "unpacks to more than" in refused.value.message
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000  # nothing was unpacked


def _many_parts(count: int) -> bytes:
    """A real workbook with ``count`` more tiny parts: small on disk, slow to list and open."""
    import zipfile

    out = io.BytesIO(xlsx([ENTERPRISE_COLUMNS, enterprise_row(1)]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"customXml/item{n}.xml", b"")
    return out.getvalue()


def test_a_workbook_of_thousands_of_parts_is_refused_as_a_field_error(
    actor, admin, client_for, in_scope
):
    crafted = _many_parts(5_000)
    assert len(crafted) < importers.files.MAX_BYTES
    with pytest.raises(ImportFileError) as refused:
        import_records(actor, "enterprise", "parts.xlsx", crafted, dry_run=True)
    assert "more than 1000 parts" in refused.value.message
    # Just under the limit is still read: the rule is the count, not the extra parts.
    report = import_records(actor, "enterprise", "few.xlsx", _many_parts(900), dry_run=True)
    assert (report.rows, report.ok) == (1, True)

    url = reverse("registry:import", kwargs={"kind": "enterprise"})
    page = client_for(admin).post(url, {"file": SimpleUploadedFile("parts.xlsx", crafted)})
    assert page.status_code == 200
    assert page.context["form"].errors["file"] == [refused.value.message]
    assert not Enterprise.objects.exists()


def test_an_error_never_echoes_more_than_an_excerpt_of_the_file(actor, in_scope):
    header = [f"column {'x' * 5000} {n}" for n in range(200)]
    with pytest.raises(ImportFileError) as refused:
        import_records(
            actor, "enterprise", "wide.csv", csv_bytes([header, ["1"] * 200]), dry_run=True
        )
    assert len(refused.value.message) < 2000
    assert "and 195 more" in refused.value.message


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTab Ltd"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_that_looks_like_a_formula_is_exported_as_text_and_imported_back(
    admin, client_for, subdistrict, fmt
) -> None:
    from openpyxl import load_workbook

    with scope(subdistrict=subdistrict):
        firms = [EnterpriseFactory(subdistrict=subdistrict, name=name) for name in FORMULAS]
    url = reverse("registry:export", kwargs={"kind": "enterprise"})
    content = client_for(admin).get(url, {"format": fmt}).content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value in FORMULAS]
        assert len(cells) == len(FORMULAS) and {c.data_type for c in cells} == {"s"}
    else:
        text = content.decode("utf-8-sig")
        assert '"=HYPERLINK' not in text and ",=HYPERLINK" not in text
        assert "'=HYPERLINK" in text and "'+1+1" in text and "'\tTab Ltd" in text
    with scope(subdistrict=subdistrict):
        for firm in firms:
            firm.name = "renamed"
            firm.save()
        report = import_records(
            Access.for_user(admin, subdistrict), "enterprise", f"back.{fmt}", content, dry_run=False
        )
        assert report.committed
        # Names come back as written (leading and trailing blanks trimmed, as on every import).
        names = sorted(Enterprise.objects.values_list("name", flat=True))
        assert names == sorted(name.strip() for name in FORMULAS)
