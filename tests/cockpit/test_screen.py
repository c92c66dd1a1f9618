"""The large screen: the key figures of the month with their change on the month before, the
hot spots beside them, reloading itself; for leaders only."""

from __future__ import annotations

from django.urls import reverse

from linli.cockpit.indicators import Period
from linli.cockpit.screen import REFRESH_SECONDS, screen
from tests.cockpit.test_overview import month  # noqa: F401 - the crafted September and October


def test_the_screen_shows_the_months_figures_and_their_change(office, month, client_for):  # noqa: F811
    page = client_for(office.leader).get(reverse("cockpit:screen"), {"month": "2026-09"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f'http-equiv="refresh" content="{REFRESH_SECONDS}"' in text
    tiles = {tile.indicator.key: tile for tile in page.context["tiles"]}
    intake = tiles["cases.intake"]
    # Four cases in September, none in August: four more, which is neither good nor bad news.
    assert (intake.figure.value, intake.previous.value, intake.change) == (4, 0, 4)
    assert intake.trend == "neutral"
    assert 'data-key="cases.intake"' in text and "4 vs last month" in text
    # Satisfaction had no callbacks in August: no change to show, said in words.
    assert tiles["cases.satisfaction"].change is None
    assert "no figure last month" in text
    (channels,) = [t for t in page.context["tops"] if t.indicator.key == "cases.intake"]
    assert [(p.label, p.value) for p in channels.parts] == [("Web form", 3), ("Phone call", 1)]


def test_a_rise_in_overdue_cases_reads_as_worse(office, month, now):  # noqa: F811
    now("2026-12-01 10:00")
    access = office.access(office.leader)
    tiles, tops = screen(access, Period(2026, 10))
    overdue = next(t for t in tiles if t.indicator.key == "cases.overdue")
    closure = next(t for t in tiles if t.indicator.key == "cases.on_time_closure")
    assert overdue.trend == "same"  # "now" figure: the same count in both months
    assert (closure.previous.value, closure.figure.value, closure.trend) == (1.0, 0.0, "worse")
    assert closure.points == "100.0"  # a rate changes by percentage points, not by a percent
    hot = next(t for t in tops if t.indicator.key == "cases.overdue")
    assert hot.parts and hot.parts[0].label == "G01 Grid 1"


def test_the_screen_is_refused_to_a_handler(office, client_for):
    assert client_for(office.handler_a).get(reverse("cockpit:screen")).status_code == 403
