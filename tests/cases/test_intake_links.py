"""Links into the intake form that choose for the person: the category and, for staff entry,
how the case came in. What the link names is only taken if the form offers it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from linli.cases.models import Case


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


def test_a_link_chooses_the_walk_in_channel_for_staff_entry(office, client_for):
    page = client_for(office.dispatcher).get(
        reverse("cases:intake"), {"category": "APP-LIC", "channel": "walk_in"}
    )
    html = page.content.decode()
    assert selected(html, "channel") == ["walk_in"]
    assert selected(html, "category") == ["APP-LIC"]


@pytest.mark.parametrize(
    "channel",
    [
        "bogus",
        "grid_patrol",  # a real channel, but not one a call or visit comes in by
        "WALK_IN",
        "walk_in\x00",
    ],
)
def test_a_channel_the_staff_form_does_not_offer_is_ignored(office, client_for, channel):
    page = client_for(office.dispatcher).get(
        reverse("cases:intake"), {"category": "APP-LIC", "channel": channel}
    )
    assert page.status_code == 200
    assert page.context["form"]["channel"].value() is None
    html = page.content.decode()
    assert selected(html, "channel") == []  # left at the form's first channel, as with no link
    assert selected(html, "category") == ["APP-LIC"]


def test_a_channel_in_a_link_to_the_web_form_is_ignored(office, client_for, now):
    client = client_for(office.resident)
    page = client.get(reverse("cases:report"), {"category": "ENQ", "channel": "walk_in"})
    assert page.status_code == 200
    assert 'name="channel"' not in page.content.decode()
    response = client.post(
        reverse("cases:report"),
        {"category": "ENQ", "channel": "walk_in", "description": "When is the library open?"},
    )
    assert response.status_code == 302
    assert Case.objects.get().channel == "web"
