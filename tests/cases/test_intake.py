"""Intake from every channel: checked extra fields, numbers per year, anonymous tracking links,
photos checked by content with their GPS position removed unless the reporter agrees."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.cases.models import CaseAttachment, CaseCounter, CaseReporter, CategoryField
from linli.cases.services import (
    Contact,
    Photo,
    case_for_tracking_token,
    submit_case,
    token_hash,
)
from linli.core.access import Access
from linli.core.models import Notification
from linli.core.sms import MemorySmsBackend
from tests.cases.conftest import png_bytes
from tests.factories import SubdistrictFactory


def jpeg_with_gps() -> io.BytesIO:
    from PIL import Image

    image = Image.new("RGB", (16, 16), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 13.0), 3: "E", 4: (121.0, 27.0, 32.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = "IMG_0001.jpg"
    return out


def test_the_reporter_and_the_dispatchers_hear_of_a_new_case(
    office, report, now, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.LINLI_SMS_BACKEND = "linli.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
        called_in = submit_case(
            actor=office.access(office.dispatcher),
            category=office.battery,
            channel="hotline_12345",
            description="Caller: batteries charging in the corridor",
            extra={"floor": 2},
            contact=Contact(name="Ms Li", phone="13812345678"),
        )
    received = Notification.objects.get(user=office.resident, title__contains="received")
    assert received.title == f"Case {case.number}: received" and case.number in received.url
    to_register = Notification.objects.filter(user=office.dispatcher, title__contains="register")
    assert {n.title for n in to_register} == {
        f"Case {c.number}: new case to register" for c in (case, called_in)
    }
    assert not Notification.objects.filter(title__contains="~")  # never the stand-in number
    assert any(office.resident.email in m.to and case.number in m.subject for m in mailoutbox)
    assert [(p, called_in.number in t) for p, t in MemorySmsBackend.outbox] == [
        ("13812345678", True)
    ]


def test_numbers_count_up_per_year(office, report, now):
    now("2026-12-31 23:50")
    assert report().number == "2026-000001"
    assert report().number == "2026-000002"
    now("2027-01-01 00:10")  # Shanghai time decides the year
    case = report()
    assert case.number == "2027-000001"
    case.refresh_from_db()
    assert case.number == "2027-000001"


def test_a_millionth_case_gets_seven_digits(office, report, now):
    now("2026-06-09 10:00")
    report()
    CaseCounter.objects.filter(year=2026).update(last=999_998)
    assert report().number == "2026-999999"
    case = report()
    case.refresh_from_db()
    assert case.number == "2026-1000000"


def test_extra_fields_are_typed_and_required(office, report, now):
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=office.incident,
        key="storey_kind",
        label="Where",
        type=CategoryField.Type.CHOICE,
        choices=["stairwell", "flat", "corridor"],
    )
    with pytest.raises(ValidationError) as invalid:
        report(extra={"floor": "third", "storey_kind": "roof", "colour": "red"})
    fields = invalid.value.message_dict
    assert fields["extra.floor"] == ["“Floor” must be a number."]
    assert "not one of the choices" in fields["extra.storey_kind"][0]
    assert fields["extra.colour"] == ["This category has no field “colour”."]
    with pytest.raises(ValidationError) as missing:
        report(extra={})
    assert missing.value.message_dict["extra.floor"] == ["“Floor” is required."]

    case = report(extra={"floor": "4", "storey_kind": "corridor"})  # inherited from the parent
    assert case.extra == {"floor": 4, "storey_kind": "corridor"}


def test_a_required_photo_field(office, report, now):
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=office.battery,
        key="scene",
        label="Photo of the charging",
        type=CategoryField.Type.PHOTO,
        required=True,
    )
    with pytest.raises(ValidationError) as missing:
        report()
    assert "Please add a photo" in missing.value.message_dict["extra.scene"][0]
    case = report(photos=[Photo(png_bytes(), field_key="scene")])
    attachment = CaseAttachment.objects.get(case=case)
    assert case.extra["scene"] == [attachment.pk]


def test_anonymous_reports_get_a_secret_link_and_only_its_hash_is_kept(office, now):
    case = submit_case(
        actor=Access.anonymous(office.subdistrict),
        category=office.battery,
        channel="web",
        description="Someone charges batteries in the lobby",
        extra={"floor": 1},
    )
    assert case.reporter is None
    assert len(case.tracking_token) >= 30
    stored = CaseReporter.objects.get(case=case)
    assert stored.tracking_token_hash == token_hash(case.tracking_token)
    assert case.tracking_token not in str(stored.__dict__)
    assert case_for_tracking_token(case.tracking_token) == case
    assert case_for_tracking_token("guessed") is None


def test_categories_can_refuse_anonymous_reports(office, now):
    with pytest.raises(ValidationError) as refused:
        submit_case(
            actor=Access.anonymous(office.subdistrict),
            category=office.enquiry,
            channel="web",
            description="When is the office open?",
        )
    assert "category" in refused.value.message_dict


def test_staff_channels_are_for_staff(office, report, now):
    with pytest.raises(PermissionDenied):
        report(channel="hotline_12345")
    with pytest.raises(PermissionDenied):
        report(channel="grid_patrol")
    patrol = report(channel="grid_patrol", actor=office.access(office.grid_worker))
    assert patrol.reporter == office.grid_worker


def test_a_hotline_caller_is_the_reporter_not_the_operator(office, now):
    case = submit_case(
        actor=office.access(office.dispatcher),
        category=office.battery,
        channel="hotline_12345",
        description="Caller reports a battery fire risk",
        extra={"floor": 2},
        contact=Contact(name="Mr Zhang", phone="138 1234 5678"),
    )
    reporter = CaseReporter.objects.get(case=case)
    assert case.reporter is None
    assert reporter.name == "Mr Zhang"
    assert reporter.phone == "13812345678"
    assert reporter.phone_cipher and "13812345678" not in reporter.phone_cipher


def test_a_bad_phone_number_is_refused(office, now):
    with pytest.raises(ValidationError) as refused:
        submit_case(
            actor=office.access(office.dispatcher),
            category=office.battery,
            channel="phone",
            description="x",
            extra={"floor": 2},
            contact=Contact(phone="12345"),
        )
    assert "contact.phone" in refused.value.message_dict


def test_photos_are_checked_by_content(office, report, now):
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "photo.jpg"
    with pytest.raises(ValidationError) as refused:
        report(photos=[Photo(fake)])
    assert "not a photo we can read" in refused.value.message_dict["photos"][0]


def test_photos_too_large_are_refused(office, report, now, monkeypatch):
    from linli.cases import attachments

    monkeypatch.setattr(attachments, "MAX_IMAGE_BYTES", 50)
    with pytest.raises(ValidationError) as refused:
        report(photos=[Photo(png_bytes(size=(64, 64)))])
    assert "larger than" in refused.value.message_dict["photos"][0]


def test_gps_is_removed_unless_the_reporter_agrees(office, report, now, tmp_path, settings):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    stripped = report(photos=[Photo(jpeg_with_gps())])
    kept = report(photos=[Photo(jpeg_with_gps())], keep_location=True)

    def exif_of(case):
        attachment = CaseAttachment.objects.get(case=case)
        with attachment.file.open("rb") as f, Image.open(f) as image:
            return image.getexif(), attachment

    exif, attachment = exif_of(stripped)
    assert 0x8825 not in exif
    assert exif[0x010F] == "PhoneMaker"
    assert attachment.content_type == "image/jpeg" and attachment.width == 16
    assert 0x8825 in exif_of(kept)[0]


def test_a_category_of_another_subdistrict_is_refused(office, now):
    elsewhere = SubdistrictFactory(code="310106099")
    with pytest.raises(PermissionDenied):
        submit_case(
            actor=Access.for_user(office.resident, elsewhere),
            category=office.battery,
            channel="web",
            description="x",
            extra={"floor": 1},
        )
