"""Registrations for the sporadic-works tests."""

from __future__ import annotations

import datetime as dt

from linli.core.access import Access
from linli.governance.works import services
from linli.governance.works.models import Works

TODAY = dt.date(2026, 10, 12)  # a Monday


def at_home(dwelling) -> services.Place:
    return services.Place(Works.Place.DWELLING, dwelling=dwelling)


def register(actor: Access, dwelling, *scopes: str, **more) -> Works:
    values = {
        "description": "厨卫翻新",
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=30),
        "contractor": "上海安居装饰工程有限公司",
        "registered_on": TODAY,
        **more,
    }
    return services.register_works(
        actor=actor, place=at_home(dwelling), scopes=scopes or ("interior",), **values
    )
