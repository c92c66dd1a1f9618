"""Group-rental verbs: a file from lead to close, the notice's deadline on the work calendar, the
overdue sweep's cases (idempotent), certification, and who may do what."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import re
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.cases.models import Case, Category, CategoryField
from linli.core.access import Access
from linli.core.services import set_parameter
from linli.governance.rentals import services
from linli.governance.rentals.models import GroupRental, ReInspection
from linli.governance.rentals.notice import notice_pdf
from linli.governance.rentals.parameters import MAX_PER_ROOM, NOTICE_DAYS
from tests.factories import OrganisationFactory
from tests.rentals.helpers import rooms

pytestmark = pytest.mark.django_db

REPORTED = dt.date(2026, 9, 25)
INSPECTED = dt.date(2026, 9, 28)
ISSUED = dt.date(2026, 9, 30)  # the day before the National Day holiday (1–7 October)
CROWDED = (("bedroom", "8", 2), ("bedroom", "8", 2), ("kitchen", "5", 0))


def lead(hood, actor, n=0, **more):
    return services.record_lead(
        hood.dwellings[n],
        actor=actor,
        source=more.pop("source", GroupRental.Source.PATROL),
        description="每天很多人进出",
        reported_on=REPORTED,
        **more,
    )


def to_notice(hood, people):
    group_rental = lead(hood, people["grid1"])
    services.record_inspection(
        group_rental, actor=people["grid1"], rooms=rooms(*CROWDED), inspected_on=INSPECTED
    )
    notice = services.issue_notice(group_rental, actor=people["department"], issued_on=ISSUED)
    return group_rental, notice


def pdf_text(content: bytes) -> str:
    """The text drawn on the pages: each content stream inflated, each string shown with Tj
    decoded from the CID font's UCS-2 (the way a PDF reader extracts it)."""
    texts = []
    for raw in re.findall(rb">>\s*stream\r?\n(.*?)endstream", content, re.S):
        stream = raw.strip()
        if stream.endswith(b"~>"):  # reportlab's default: ASCII85, then Flate
            stream = base64.a85decode(stream, adobe=True)
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream, re.S):
            texts.append(_decode(_unescape(literal)))
    return "".join(texts)


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        byte = literal[i]
        if byte != 0x5C:
            out.append(byte)
            i += 1
            continue
        nxt = literal[i + 1 : i + 2]
        if nxt.isdigit():
            digits = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
            assert digits is not None
            out.append(int(digits.group(), 8))
            i += 1 + len(digits.group())
        else:
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(data: bytes) -> str:
    return data.decode("utf-16-be") if len(data) % 2 == 0 else data.decode("latin-1")


def test_a_file_from_lead_to_close(hood, people):
    group_rental = lead(hood, people["grid1"])
    assert group_rental.stage == GroupRental.Stage.LEAD
    inspection = services.record_inspection(
        group_rental, actor=people["grid1"], rooms=rooms(*CROWDED), inspected_on=INSPECTED
    )
    assert [b["rule"] for b in inspection.breaches] == ["area_per_person"]
    assert inspection.versions == {
        MAX_PER_ROOM: ["2", None],
        "rentals.min_area_per_person_m2": ["5", None],
    }
    group_rental.refresh_from_db()
    assert group_rental.stage == GroupRental.Stage.INSPECTED
    notice = services.issue_notice(group_rental, actor=people["department"], issued_on=ISSUED)
    assert group_rental.stage == GroupRental.Stage.NOTICE
    housing = OrganisationFactory(subdistrict=hood.subdistrict, name="城管中队")
    services.record_enforcement(
        group_rental,
        actor=people["department"],
        on=notice.deadline,
        departments=[housing],
        result="拆除隔断，清退2人",
    )
    first, second = group_rental.reinspections.order_by("due_on")
    assert (first.due_on, second.due_on) == (dt.date(2026, 11, 13), dt.date(2027, 1, 13))
    assert group_rental.stage == GroupRental.Stage.ENFORCEMENT
    services.record_reinspection(first, actor=people["grid1"], compliant=True, done_on=first.due_on)
    assert group_rental.stage == GroupRental.Stage.REINSPECTION
    with pytest.raises(ValidationError):  # done once only
        services.record_reinspection(first, actor=people["grid1"], compliant=True)
    services.record_reinspection(
        second, actor=people["grid1"], compliant=True, done_on=first.due_on
    )
    group_rental.refresh_from_db()
    assert (group_rental.stage, group_rental.outcome) == ("closed", "rectified")


def test_an_inspection_without_breach_closes_the_file(hood, people):
    group_rental = lead(hood, people["grid1"])
    family = rooms(("bedroom", "14", 4, True), ("living_room", "12", 0), ("kitchen", "5", 0))
    services.record_inspection(group_rental, actor=people["grid1"], rooms=family)
    group_rental.refresh_from_db()
    assert (group_rental.stage, group_rental.outcome) == ("closed", "no_breach")


def test_a_failed_reinspection_sends_the_file_back_to_a_lead(hood, people):
    group_rental, notice = to_notice(hood, people)
    services.record_enforcement(
        group_rental,
        actor=people["admin"],
        on=notice.deadline,
        departments=[hood.committee],
        result="ok",
    )
    first = group_rental.reinspections.order_by("due_on").first()
    with pytest.raises(ValidationError) as refused:
        services.record_reinspection(first, actor=people["grid1"], compliant=False)
    assert "note" in refused.value.message_dict
    services.record_reinspection(first, actor=people["grid1"], compliant=False, note="又隔了")
    group_rental.refresh_from_db()
    assert group_rental.stage == GroupRental.Stage.LEAD
    assert group_rental.reinspections.filter(cancelled=True).count() == 1


def test_the_notice_deadline_counts_working_days_over_the_national_day_holiday(hood, people):
    """5 working days from 30 September 2026: 8, 9, 10 (a Saturday worked, 调休), 12, 13 October."""
    _file, notice = to_notice(hood, people)
    assert (notice.working_days, notice.deadline) == (5, dt.date(2026, 10, 13))
    assert notice.working_days_version is None


def test_a_future_dated_notice_period_leaves_earlier_notices_alone(hood, people):
    version = set_parameter(
        Access.system(hood.subdistrict),
        key=NOTICE_DAYS,
        value=10,
        effective_from=dt.date(2026, 10, 1),
        source="区房管局新规",
    )
    _file, notice = to_notice(hood, people)
    assert (notice.working_days, notice.working_days_version) == (5, None)
    other = lead(hood, people["grid2"], n=1)
    services.record_inspection(
        other, actor=people["grid2"], rooms=rooms(*CROWDED), inspected_on=INSPECTED
    )
    later = services.issue_notice(other, actor=people["admin"], issued_on=dt.date(2026, 10, 9))
    assert (later.working_days, later.working_days_version) == (10, version.pk)


def test_the_notice_pdf_shows_the_address_and_the_deadline(hood, people):
    _file, notice = to_notice(hood, people)
    content = notice_pdf(notice)
    assert content.startswith(b"%PDF") and b"STSong-Light" in content
    text = pdf_text(content)
    address = services.address_of(hood.dwellings[0])
    assert address in text
    assert "2026-10-13" in text
    assert notice.number in text


def test_the_sweep_opens_one_case_per_overdue_notice_and_reinspection(hood, people):
    system = Access.system(hood.subdistrict)
    group_rental, notice = to_notice(hood, people)
    assert services.sweep_overdue(actor=system, today=notice.deadline) == []
    (case,) = services.sweep_overdue(actor=system, today=dt.date(2026, 10, 14))
    assert services.address_of(hood.dwellings[0]) in case.title
    assert case.category.code == services.CATEGORY_CODE
    assert services.sweep_overdue(actor=system, today=dt.date(2026, 10, 20)) == []
    notice.refresh_from_db()
    assert notice.overdue_case == case

    services.record_enforcement(
        group_rental,
        actor=people["admin"],
        on=dt.date(2026, 10, 15),
        departments=[hood.committee],
        result="ok",
    )
    (first_due,) = services.sweep_overdue(actor=system, today=dt.date(2026, 11, 16))
    assert "re-inspection" in first_due.title
    assert services.sweep_overdue(actor=system, today=dt.date(2026, 11, 30)) == []
    (second_due,) = services.sweep_overdue(actor=system, today=dt.date(2027, 1, 16))
    assert services.sweep_overdue(actor=system, today=dt.date(2027, 1, 16)) == []
    assert Case.objects.count() == 3
    assert set(ReInspection.objects.values_list("overdue_case", flat=True)) == {
        first_due.pk,
        second_due.pk,
    }


def test_a_done_reinspection_opens_no_case(hood, people):
    system = Access.system(hood.subdistrict)
    group_rental, notice = to_notice(hood, people)
    services.record_enforcement(
        group_rental,
        actor=people["admin"],
        on=notice.deadline,
        departments=[hood.committee],
        result="ok",
    )
    first = group_rental.reinspections.order_by("due_on").first()
    services.record_reinspection(first, actor=people["grid1"], compliant=True, done_on=first.due_on)
    assert services.sweep_overdue(actor=system, today=dt.date(2026, 11, 30)) == []


def test_the_sweep_files_under_the_subdistricts_group_rental_category(hood, people):
    """A 群租 category with a required door-number field is used, the field filled in."""
    own = Category.objects.create(
        subdistrict=hood.subdistrict,
        code="INC-RENT",
        name="群租",
        kind=Category.Kind.INCIDENT,
        allows_anonymous=True,
    )
    CategoryField.objects.create(
        subdistrict=hood.subdistrict,
        category=own,
        key="unit",
        label="门牌号",
        type=CategoryField.Type.TEXT,
        required=True,
        order=1,
    )
    _file, _notice = to_notice(hood, people)
    (case,) = services.sweep_overdue(
        actor=Access.system(hood.subdistrict), today=dt.date(2026, 10, 14)
    )
    assert case.category == own
    assert case.extra["unit"] == services.address_of(hood.dwellings[0])


def test_a_dwelling_has_one_open_file(hood, people):
    lead(hood, people["grid1"])
    with pytest.raises(ValidationError) as refused:
        lead(hood, people["admin"])
    assert "dwelling" in refused.value.message_dict


def test_a_lead_from_a_case_names_the_case(hood, people):
    with pytest.raises(ValidationError) as refused:
        lead(hood, people["department"], source=GroupRental.Source.CASE)
    assert "case" in refused.value.message_dict


def test_grid_workers_work_on_their_grid_only(hood, people):
    with pytest.raises(PermissionDenied):
        lead(hood, people["grid2"], n=0)
    group_rental = lead(hood, people["grid1"], n=0)
    with pytest.raises(PermissionDenied):
        services.record_inspection(group_rental, actor=people["grid2"], rooms=rooms(*CROWDED))
    for name in ("window", "resident", "enterprise"):
        with pytest.raises(PermissionDenied):
            lead(hood, people[name], n=1)


def test_notices_are_for_departments_and_administrators(hood, people):
    group_rental = lead(hood, people["grid1"])
    services.record_inspection(
        group_rental, actor=people["grid1"], rooms=rooms(*CROWDED), inspected_on=INSPECTED
    )
    for name in ("grid1", "committee"):
        with pytest.raises(PermissionDenied):
            services.issue_notice(group_rental, actor=people[name], issued_on=ISSUED)


def test_a_quarter_is_certified_only_without_open_files(hood, people):
    quarter = hood.quarters[0]
    group_rental = lead(hood, people["grid1"])
    with pytest.raises(ValidationError) as refused:
        services.certify_quarter(quarter, actor=people["admin"])
    assert "quarter" in refused.value.message_dict
    services.record_inspection(
        group_rental, actor=people["grid1"], rooms=rooms(("bedroom", "20", 2))
    )
    certification = services.certify_quarter(quarter, actor=people["admin"])
    assert certification.certified_by == people["admin"].user
    with pytest.raises(PermissionDenied):
        services.certify_quarter(hood.quarters[1], actor=people["department"])
