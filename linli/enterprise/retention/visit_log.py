"""The visit log: butlers' visits the person may see (a butler: their portfolio's), newest
first, with the cases their demands became; for the page, the API and the Excel export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.retention.filters import VisitFilter
from linli.enterprise.retention.models import Visit, VisitDemand


def visit_log(access: Access, filters: VisitFilter) -> QuerySet[Visit]:
    demands = VisitDemand.objects.visible_to(access).select_related("case")
    return (
        filters.apply(Visit.objects.visible_to(access))
        .select_related("enterprise", "butler")
        .prefetch_related(Prefetch("demands", queryset=demands))
        .order_by("-visited_on", "-pk")
    )


def case_numbers(visit: Visit) -> list[str]:
    """The cases the visit's demands became (the visit is prefetched with them)."""
    return [d.case.number for d in visit.demands.all()]  # type: ignore[attr-defined]


def visit_log_xlsx(visits: Iterable[Visit]) -> bytes:
    table: list[list[Any]] = [
        [
            _("Date of the visit"),
            _("Enterprise"),
            _("Unified Social Credit Code"),
            _("Butler"),
            _("People met"),
            _("Topics"),
            _("Demands raised as cases"),
            "id",
        ]
    ]
    for visit in visits:
        table.append(
            [
                visit.visited_on,
                visit.enterprise.name,
                visit.enterprise.credit_code,
                str(visit.butler or ""),
                visit.people_met,
                visit.topics,
                ", ".join(case_numbers(visit)),
                visit.pk,
            ]
        )
    return rows_to_xlsx(_("Visits"), table)
