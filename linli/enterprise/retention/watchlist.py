"""The relocation watch list: enterprises with any warning sign, largest risk × tax first, for
the page, the API and the Excel export alike."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import Assessment, assess_many, level_label
from linli.enterprise.retention.filters import EnterpriseFilter
from linli.registry.models import Enterprise


def watchlist(access: Access, filters: EnterpriseFilter | None = None) -> list[Assessment]:
    """The enterprises whose risk ``access`` reads, with a score above zero, highest first."""
    enterprises = rules.among(rules.risk_audience(access))
    if filters is not None:
        enterprises = filters.apply(enterprises)
    enterprises = enterprises.exclude(status=Enterprise.Status.CLOSED).select_related(
        "building", "butler"
    )
    scored = [a for a in assess_many(enterprises) if a.score.total > 0]
    return sorted(scored, key=lambda a: (a.priority, a.score.total), reverse=True)


def watchlist_xlsx(rows: list[Assessment]) -> bytes:
    """One row per enterprise; factors as "name (points): evidence" lines. No personal data."""
    header = [
        _("Rank"),
        _("Enterprise"),
        _("Unified Social Credit Code"),
        _("Building"),
        _("Butler"),
        _("Risk score"),
        _("Latest tax (10k yuan)"),
        _("Risk × tax"),
        _("Contributing factors"),
        _("Risk"),
        "enterprise_id",
    ]
    table: list[list[Any]] = [header]
    for rank, a in enumerate(rows, start=1):
        e = a.enterprise
        table.append(
            [
                rank,
                e.name,
                e.credit_code,
                str(e.building or ""),
                str(e.butler or ""),
                a.score.total,
                a.tax,
                round(a.priority, 2),
                "\n".join(f"{f['name']} ({f['points']}): {f['evidence']}" for f in a.explained),
                level_label(a.level),
                e.pk,
            ]
        )
    return rows_to_xlsx(_("Watch list")[:31], table)
