"""The pipeline as rows for Excel: one row per prospect, with its next action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from linli.core import clock
from linli.enterprise.investment.models import Prospect

# The column that names a prospect in files (the same key as the API's ``id``).
KEY_COLUMN = "id"


def prospect_rows(prospects: Iterable[Prospect]) -> Iterable[list[Any]]:
    """``prospects`` annotated ``with_next_action`` (the board's and the API's figures)."""
    yield [
        KEY_COLUMN,
        _("Name"),
        _("Stage"),
        _("Source"),
        _("Ambassador"),
        _("Industry (GB/T 4754)"),
        _("Space needed (m²)"),
        _("Expected annual tax (10k yuan)"),
        _("Recorded"),
        _("Stage changed"),
        _("Next action due"),
        _("Overdue actions"),
        _("Reason lost"),
    ]
    for p in prospects:
        yield [
            p.pk,
            p.name,
            str(p.get_stage_display()),
            str(p.get_source_display()),
            str(p.ambassador) if p.ambassador else "",
            p.industry_code,
            p.area_m2,
            p.expected_tax,
            clock.local_day(p.created_at).isoformat(),
            clock.local_day(p.stage_changed_at).isoformat(),
            p.next_due.isoformat() if p.next_due else "",  # type: ignore[attr-defined]
            p.overdue_actions,  # type: ignore[attr-defined]
            str(p.get_lost_reason_display()) if p.lost_reason else "",
        ]
