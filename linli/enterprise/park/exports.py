"""The Park Assistant's notices as rows for Excel: who they went to and how many read them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from linli.core import clock
from linli.enterprise.park.models import Notice
from linli.enterprise.park.queries import read_share

# The column that names a notice in files (the same key as the API's ``id``).
KEY_COLUMN = "id"


def notice_rows(notices: Iterable[Notice]) -> Iterable[list[Any]]:
    """``notices`` read ``with_read_counts`` (the page's and the API's figures)."""
    yield [
        KEY_COLUMN,
        _("Building"),
        _("Title"),
        _("Published"),
        _("Audience"),
        _("Enterprises addressed"),
        _("Enterprises that read it"),
        _("Read by (%)"),
        _("Last reminder"),
    ]
    for notice in notices:
        share = read_share(notice)
        yield [
            notice.pk,
            notice.building.name,
            notice.title,
            clock.local(notice.published_at).strftime("%Y-%m-%d %H:%M"),
            str(notice.get_audience_display()),
            notice.recipient_count,  # type: ignore[attr-defined]
            notice.read_enterprise_count,  # type: ignore[attr-defined]
            None if share is None else round(share * 100, 1),
            clock.local(notice.last_reminded_at).strftime("%Y-%m-%d %H:%M")
            if notice.last_reminded_at
            else "",
        ]
