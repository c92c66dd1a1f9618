"""The filters of the joint-inspection lists, one definition each for the page, the API and
the Excel export (``linli.core.filters``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import FilterLookup
from pydantic import field_validator

from linli.core import clock
from linli.core.filters import Id, ListFilter
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from linli.enterprise.inspections.queries import Period


def _status(value: str | None, choices: list[str]) -> str | None:
    if value is not None and value not in choices:
        raise ValueError("not a status")
    return value


class PlanFilter(ListFilter):
    """Plans in one status, of one department or enterprise, or whose subject or enterprise
    matches ``q``."""

    status: str | None = None
    department: Id | None = None
    enterprise: Id | None = None
    q: Annotated[
        str | None, FilterLookup(["subject__icontains", "enterprise__name__icontains"])
    ] = None

    @field_validator("status")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        return _status(value, InspectionPlan.Status.values)

    def filter_department(self, value: int | None) -> Q:
        return Q(department_id=value) if value is not None else Q()

    def filter_enterprise(self, value: int | None) -> Q:
        return Q(enterprise_id=value) if value is not None else Q()


class PeriodFilter(ListFilter):
    """A period of dates: this quarter unless ``start`` or ``end`` says otherwise."""

    start: dt.date | None = None
    end: dt.date | None = None

    def period(self) -> Period:
        """The period asked for; a ``ValidationError`` naming ``end`` if it ends first."""
        period = self.shown_period()
        if period.end < period.start:
            raise ValidationError({"end": [_("The period cannot end before it starts.")]})
        return period

    def shown_period(self) -> Period:
        """The period as the filter form shows it, even one that ends before it starts."""
        default = Period.quarter_of(clock.today())
        return Period(self.start or default.start, self.end or default.end)

    def filter_start(self, value: Any) -> Q:
        return Q()  # the period applies as a whole (``get_filter_expression``)

    def filter_end(self, value: Any) -> Q:
        return Q()


class JointVisitFilter(PeriodFilter):
    """Joint visits scheduled in the period, in one status or of one enterprise."""

    status: str | None = None
    enterprise: Id | None = None

    @field_validator("status")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        return _status(value, JointVisit.Status.values)

    def filter_enterprise(self, value: int | None) -> Q:
        return Q(enterprise_id=value) if value is not None else Q()

    def get_filter_expression(self) -> Q:
        period = self.period()
        return super().get_filter_expression() & Q(scheduled_on__range=(period.start, period.end))
