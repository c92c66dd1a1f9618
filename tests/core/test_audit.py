"""The append-only audit log of registry writes, and the in-app notification inbox."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import AuditEntry, Notification
from linli.registry.models import Facility
from tests.factories import BuildingFactory, EnterpriseFactory, FacilityFactory, UserFactory


@pytest.fixture
def admin(subdistrict, make_user):
    return make_user("subdistrict_admin", subdistrict, username="admin-a")


@pytest.fixture
def admin_client(admin, client_for):
    return client_for(admin)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def assert_entry(entry: AuditEntry, *, actor, subdistrict, record) -> None:
    assert entry.actor == actor
    assert entry.subdistrict == subdistrict
    assert entry.object_type == record._meta.label_lower
    assert entry.object_id == str(record.pk)
    assert entry.object_repr == str(record)
    assert clock.now() - entry.at < dt.timedelta(minutes=1)


FACILITY = {
    "code": "F-NEW",
    "name": "Day care by the creek",
    "category": "elderly_day_care",
    "entrances": "[[121.45, 31.24]]",
    "capacity": "40",
}


def test_page_writes_are_audited_with_before_and_after(admin, admin_client, subdistrict) -> None:
    response = admin_client.post(reverse("registry:create", kwargs={"kind": "facility"}), FACILITY)
    assert response.status_code == 302
    with scope(subdistrict=subdistrict):
        facility = Facility.objects.get(code="F-NEW")

    (created,) = entries("registry.facility.create")
    assert_entry(created, actor=admin, subdistrict=subdistrict, record=facility)
    assert created.before is None
    assert created.after["name"] == "Day care by the creek"
    assert created.after["capacity"] == 40
    assert created.after["entrances"] == [[121.45, 31.24]]

    edit = reverse("registry:edit", kwargs={"kind": "facility", "pk": facility.pk})
    admin_client.post(edit, {**FACILITY, "name": "Creek day care", "capacity": "45"})

    (updated,) = entries("registry.facility.update")
    with scopes_disabled():
        facility.refresh_from_db()
    assert_entry(updated, actor=admin, subdistrict=subdistrict, record=facility)
    assert updated.before == {"name": "Day care by the creek", "capacity": 40}
    assert updated.after == {"name": "Creek day care", "capacity": 45}

    admin_client.post(reverse("registry:delete", kwargs={"kind": "facility", "pk": facility.pk}))

    (deleted,) = entries("registry.facility.delete")
    assert deleted.actor == admin and deleted.subdistrict == subdistrict
    assert deleted.object_id == str(facility.pk)
    assert deleted.before["name"] == "Creek day care"
    assert deleted.after is None


def test_api_writes_are_audited(admin, admin_client, subdistrict) -> None:
    body = {**FACILITY, "entrances": [[121.45, 31.24]], "capacity": 40}
    created = admin_client.post(
        reverse("api:create_facility"), json.dumps(body), content_type="application/json"
    ).json()
    url = reverse("api:update_facility", kwargs={"pk": created["id"]})
    admin_client.patch(url, json.dumps({"opening_hours": "08:00-18:00"}), "application/json")
    admin_client.delete(url)

    actions = [
        (e.action, e.object_id) for e in AuditEntry.objects.exclude(action="core.session.login")
    ]
    assert sorted(actions) == sorted(
        [
            ("registry.facility.create", str(created["id"])),
            ("registry.facility.update", str(created["id"])),
            ("registry.facility.delete", str(created["id"])),
        ]
    )
    update = AuditEntry.objects.get(action="registry.facility.update")
    assert update.before == {"opening_hours": ""}
    assert update.after == {"opening_hours": "08:00-18:00"}
    assert {e.actor for e in AuditEntry.objects.exclude(action="core.session.login")} == {admin}
    assert {e.subdistrict for e in AuditEntry.objects.exclude(action="core.session.login")} == {
        subdistrict
    }


def test_refused_and_invalid_writes_leave_no_audit_row(admin_client, subdistrict) -> None:
    building = BuildingFactory(subdistrict=subdistrict)
    EnterpriseFactory(subdistrict=subdistrict, building=building)

    bad = admin_client.post(reverse("registry:create", kwargs={"kind": "facility"}), {"code": "X"})
    protected = admin_client.post(
        reverse("registry:delete", kwargs={"kind": "building", "pk": building.pk})
    )

    assert bad.status_code == 200
    assert protected.status_code == 302
    assert not AuditEntry.objects.exclude(action="core.session.login").exists()


def test_the_audit_log_page_lists_this_subdistricts_entries(
    admin, admin_client, subdistrict, other_subdistrict
) -> None:
    facility = FacilityFactory(subdistrict=subdistrict, name="Logged facility")
    elsewhere = FacilityFactory(subdistrict=other_subdistrict, name="Elsewhere facility")
    from linli.core import audit

    audit.record(
        Access.for_user(admin, subdistrict), "registry.facility.update", facility, after={"x": 1}
    )
    audit.record(
        Access.system(other_subdistrict), "registry.facility.update", elsewhere, after={"x": 2}
    )

    page = admin_client.get(reverse("audit_log")).text
    assert "Logged facility" in page
    assert "Elsewhere facility" not in page
    assert "Facility changed" in page  # the action reads as words, not as its code
    only = admin_client.get(reverse("audit_log"), {"action": "registry.facility.create"}).text
    assert "Logged facility" not in only
    filtered = admin_client.get(reverse("audit_log"), {"q": "nothing like it"}).text
    assert "Logged facility" not in filtered


def test_the_audit_log_says_what_changed_in_words(admin, admin_client, subdistrict) -> None:
    from linli.core import audit

    facility = FacilityFactory(subdistrict=subdistrict, name="Day care")
    audit.record(
        Access.for_user(admin, subdistrict),
        "registry.facility.update",
        facility,
        before={"category": "park", "capacity": 10, "created_at": "2026-12-07T02:00:00+00:00"},
        after={"category": "elderly_day_care", "capacity": 12, "id": 7, "subdistrict": 3},
    )
    page = admin_client.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "{'" not in page and "+00:00" not in page and "elderly_day_care" not in page
    changes = page[page.index("Day care") :]
    assert "容量: 10 → 12" in changes or "capacity: 10 → 12" in changes
    assert "2026-12-07 10:00" in changes or "2026年12月7日 10:00" in changes
    assert "ID:" not in changes and "街道:" not in changes  # ids say nothing to a reader


def test_recorded_facts_read_by_name_and_numbers_are_rounded(admin, admin_client, subdistrict):
    from linli.core import audit

    facility = FacilityFactory(subdistrict=subdistrict, name="Corner shop")
    audit.record(
        Access.for_user(admin, subdistrict),
        "registry.facility.update",
        facility,
        before={"clock": 4},
        after={"reason": "Rent too high", "recipients": 2, "bbox": [121.469497, 31.2370001]},
    )
    page = admin_client.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE="en").text
    changes = page[page.index("Corner shop") :]
    assert "Reason: Rent too high" in changes and "notice recipients: 2" in changes
    assert "121.4695, 31.237" in changes and "121.469497" not in changes
    assert "clock" not in changes  # a case's step counter says nothing to a reader


# --- Append-only --------------------------------------------------------------------------------


@pytest.fixture
def entry(subdistrict) -> AuditEntry:
    return AuditEntry.objects.create(
        subdistrict=subdistrict,
        action="registry.facility.create",
        object_type="x",
        object_repr="row",
    )


def test_bulk_update_of_the_audit_log_fails(entry) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(note="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    entry.note = "tampered"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["note"])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_bulk_delete_of_the_audit_log_fails(entry) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_saving_or_deleting_an_audit_row_fails(entry) -> None:
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    fetched = AuditEntry.objects.get(pk=entry.pk)
    fetched.action = "registry.facility.delete"
    with pytest.raises(PermissionError):
        fetched.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "registry.facility.create"


def test_an_actor_with_audit_rows_cannot_be_deleted(entry, subdistrict) -> None:
    from django.db.models import ProtectedError

    user = UserFactory()
    AuditEntry.objects.create(
        subdistrict=subdistrict, actor=user, action="core.session.login", object_type="x"
    )
    with pytest.raises(ProtectedError):
        user.delete()


# --- Notifications ------------------------------------------------------------------------------


def test_notify_puts_one_message_in_each_inbox(subdistrict, make_user) -> None:
    ann = make_user("handler", subdistrict)
    bob = make_user("handler", subdistrict)

    rows = notify([ann, bob, ann], subdistrict, title="Case 12 assigned", body="Please accept.")

    assert len(rows) == 2
    with scopes_disabled():
        assert Notification.objects.filter(user=ann).count() == 1
        assert Notification.objects.get(user=bob).body == "Please accept."


def test_the_inbox_lists_messages_and_marks_them_read(subdistrict, make_user, client_for) -> None:
    ann = make_user("handler", subdistrict)
    (first,) = notify([ann], subdistrict, title="First message", url="/registry/facility/")
    notify([ann], subdistrict, title="Second message")
    client = client_for(ann)

    page = client.get(reverse("inbox")).text
    assert "First message" in page and "Second message" in page
    assert 'href="/registry/facility/"' in page
    assert client.get("/").context["unread_count"] == 2

    response = client.post(reverse("mark_read", kwargs={"pk": first.pk}))

    assert response.status_code == 302 and response["Location"] == reverse("inbox")
    with scopes_disabled():
        first.refresh_from_db()
    assert first.read_at is not None
    assert client.get("/").context["unread_count"] == 1
    # Marking it read again keeps the first time it was read.
    read_at = first.read_at
    client.post(reverse("mark_read", kwargs={"pk": first.pk}))
    with scopes_disabled():
        first.refresh_from_db()
    assert first.read_at == read_at


def test_nobody_sees_or_touches_anothers_notifications(
    subdistrict, other_subdistrict, make_user, client_for
) -> None:
    ann = make_user("handler", subdistrict)
    bob = make_user("handler", subdistrict)
    (secret,) = notify([bob], subdistrict, title="For Bob only")
    notify([ann], other_subdistrict, title="Ann elsewhere")
    client = client_for(ann)

    page = client.get(reverse("inbox")).text
    assert "For Bob only" not in page
    assert "Ann elsewhere" not in page  # that one is in her other sub-district's inbox
    assert client.post(reverse("mark_read", kwargs={"pk": secret.pk})).status_code == 404
    with scopes_disabled():
        secret.refresh_from_db()
    assert secret.read_at is None
