"""Extreme weather: whether it is on, and who must be visited now."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from linli.livelihood.caring.models import CaringPlan, ExtremeWeather


def in_force(day: dt.date) -> ExtremeWeather | None:
    """The extreme weather in force on ``day`` (the one set last, when two overlap)."""
    return (
        ExtremeWeather.objects.filter(
            starts_on__lte=day, ends_on__gte=day, cancelled_at__isnull=True
        )
        .order_by("-set_at", "-pk")
        .first()
    )


def to_visit_now(
    plans: QuerySet[CaringPlan], weather: ExtremeWeather, day: dt.date
) -> QuerySet[CaringPlan]:
    """The open plans whose person was not seen within the weather's frequency by ``day``."""
    seen_since = day - dt.timedelta(days=weather.every_days)
    return plans.filter(ended_on__isnull=True).filter(
        Q(last_visited_on__isnull=True) | Q(last_visited_on__lte=seen_since)
    )
