"""Reads of the food-safety pages: the establishments list (and its Excel export, the same
rows), with each establishment's next inspection."""

from __future__ import annotations

from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from linli.core import clock
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from linli.governance.foodsafety.models import EstablishmentQuerySet, Kind


def establishments(found: EstablishmentQuerySet, filters: dict[str, Any]) -> QuerySet[Any]:
    """The list: effective grade and next inspection on each row, narrowed by the filters."""
    upcoming = Q(
        scheduled__plan__status=InspectionPlan.Status.PLANNED,
        scheduled__plan__joint_visit__status=JointVisit.Status.SCHEDULED,
        scheduled__plan__joint_visit__scheduled_on__gte=clock.today(),
    )
    rows = (
        found.with_effective_grade()
        .annotate(
            next_inspection=Min("scheduled__plan__joint_visit__scheduled_on", filter=upcoming)
        )
        .select_related("enterprise")
        .order_by("enterprise__name", "pk")
    )
    if q := (filters.get("q") or "").strip():
        rows = rows.filter(Q(enterprise__name__icontains=q) | Q(licence_number__icontains=q))
    if grade := filters.get("grade"):
        rows = rows.filter(effective=grade)
    if kind := filters.get("kind"):
        rows = rows.filter(kind=kind)
    return rows


def export_rows(rows: QuerySet[Any]) -> list[list[Any]]:
    table: list[list[Any]] = [
        [
            "id",
            _("Establishment"),
            _("Credit code"),
            _("Kind of catering"),
            _("Risk grade"),
            _("Grade applied"),
            _("Graded on"),
            _("Food business licence number"),
            _("Licence valid until"),
            _("Next inspection"),
        ]
    ]
    kinds = dict(Kind.choices)
    for e in rows:
        table.append(
            [
                e.pk,
                e.enterprise.name,
                e.enterprise.credit_code,
                str(kinds.get(e.kind, e.kind)),
                e.grade,
                e.effective,
                e.graded_on,
                e.licence_number,
                e.licence_valid_until,
                e.next_inspection,
            ]
        )
    return table
