"""Building notices: publishing to all or chosen enterprises, read receipts, reminders, and
who may see which notice."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Notification
from linli.enterprise.park import services
from linli.enterprise.park.models import Notice, NoticeReceipt

pytestmark = pytest.mark.django_db


def publish(park, subdistrict, **kwargs) -> Notice:
    with scope(subdistrict=subdistrict):
        return services.publish_notice(
            park.jade,
            actor=Access.for_user(park.manager, subdistrict),
            title=kwargs.pop("title", "Water off on Friday"),
            body=kwargs.pop("body", "The water is off from 9 to 12 on Friday."),
            **kwargs,
        )


def inbox(user, subdistrict) -> list[str]:
    with scope(subdistrict=subdistrict):
        return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_the_manager_publishes_to_every_active_enterprise_of_the_building(
    client_for, park, subdistrict
):
    response = client_for(park.manager).post(
        reverse("park:notice_new", kwargs={"pk": park.jade.pk}),
        {"title": "Fire drill", "body": "Wednesday 15:00, everybody out.", "audience": "all"},
    )
    with scope(subdistrict=subdistrict):
        notice = Notice.objects.get()
        recipients = set(notice.recipients.values_list("enterprise__name", flat=True))
    assert response.status_code == 302
    assert recipients == {"Alpha Ltd", "Beta Ltd"}  # not the closed one, not Pearl's
    assert any("Fire drill" in t for t in inbox(park.alice, subdistrict))
    assert inbox(park.pearl_member, subdistrict) == []


def test_opening_a_notice_records_one_receipt_per_person(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    client = client_for(park.alice)
    url = reverse("park:notice", kwargs={"pk": notice.pk})
    first = client.get(url)
    with scope(subdistrict=subdistrict):
        read_at = NoticeReceipt.objects.get().read_at
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert "Water off on Friday" in first.content.decode()
    with scope(subdistrict=subdistrict):
        receipt = NoticeReceipt.objects.get()
    assert receipt.read_at == read_at
    assert receipt.enterprise == park.alpha


def test_the_manager_sees_who_read_and_reminds_only_the_others(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    client_for(park.alice).get(reverse("park:notice", kwargs={"pk": notice.pk}))
    manager = client_for(park.manager)
    page = manager.get(reverse("park:notice", kwargs={"pk": notice.pk})).content.decode()
    assert "Read by 1 of 2 enterprises" in page
    assert "alice" in page and "bob" in page

    response = manager.post(reverse("park:notice_remind", kwargs={"pk": notice.pk}), follow=True)
    assert "1 person was reminded" in response.content.decode()
    assert any(t.startswith("Reminder") for t in inbox(park.bob, subdistrict))
    assert not any(t.startswith("Reminder") for t in inbox(park.alice, subdistrict))


def test_reminding_when_everybody_read_says_so(park, subdistrict):
    notice = publish(park, subdistrict, enterprise_ids=[park.alpha.pk])
    with scope(subdistrict=subdistrict):
        services.open_notice(notice, actor=Access.for_user(park.alice, subdistrict))
        with pytest.raises(services.ValidationError, match="nobody to remind"):
            services.remind_unread(notice, actor=Access.for_user(park.manager, subdistrict))


def test_a_notice_for_chosen_enterprises_is_hidden_from_the_others(client_for, park, subdistrict):
    notice = publish(park, subdistrict, enterprise_ids=[park.beta.pk])
    url = reverse("park:notice", kwargs={"pk": notice.pk})
    assert client_for(park.bob).get(url).status_code == 200
    assert client_for(park.alice).get(url).status_code == 404
    home = client_for(park.alice).get(reverse("park:home")).content.decode()
    assert "Water off on Friday" not in home


def test_another_buildings_manager_and_members_get_404(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    other = client_for(park.pearl_manager)
    assert other.get(reverse("park:notice", kwargs={"pk": notice.pk})).status_code == 404
    assert other.post(reverse("park:notice_remind", kwargs={"pk": notice.pk})).status_code == 404
    for name in ("park:building", "park:enterprises", "park:requests", "park:notice_new"):
        assert other.get(reverse(name, kwargs={"pk": park.jade.pk})).status_code == 404
    member = client_for(park.pearl_member)
    assert member.get(reverse("park:notice", kwargs={"pk": notice.pk})).status_code == 404


def test_chosen_enterprises_must_be_in_the_building(client_for, park, subdistrict):
    response = client_for(park.manager).post(
        reverse("api:park_publish_notice", kwargs={"pk": park.jade.pk}),
        {"title": "Hello", "body": "Text", "enterprise_ids": [park.pearl_firm.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "enterprise_ids" in response.json()["fields"]
    with scope(subdistrict=subdistrict):
        assert not Notice.objects.exists()


def test_a_notice_needs_a_title_and_a_text(client_for, park, subdistrict):
    response = client_for(park.manager).post(
        reverse("park:notice_new", kwargs={"pk": park.jade.pk}),
        {"title": " ", "body": "", "audience": "chosen"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the notice a title." in page
    assert "Write the notice." in page
    assert "Choose at least one enterprise." in page
    with scope(subdistrict=subdistrict):
        assert not Notice.objects.exists()


def test_the_api_reads_a_notice_and_lists_it_with_receipts(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    alice = client_for(park.alice)
    listed = alice.get(reverse("api:park_notices")).json()
    assert [n["title"] for n in listed] == ["Water off on Friday"]
    read = alice.get(reverse("api:park_notice", kwargs={"pk": notice.pk})).json()
    assert read["read_at"]
    seen = client_for(park.manager).get(reverse("api:park_notice", kwargs={"pk": notice.pk}))
    rows = {r["enterprise"]: r for r in seen.json()["receipts"]}
    assert rows["Alpha Ltd"]["read"] and rows["Alpha Ltd"]["readers"] == ["alice"]
    assert not rows["Beta Ltd"]["read"] and rows["Beta Ltd"]["not_yet"] == ["bob"]
