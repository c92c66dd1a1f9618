"""Rule numbers as data (convention 15).

Every legal or policy threshold an app applies (visit frequencies, subsidy amounts, consent
ratios, inspection counts) is declared here by its app, in the app's ``parameters.py``, with
its default, its unit and the public source the default comes from. A sub-district
administrator records a new value with the date it applies from
(``linli.core.services.set_parameter``); the versions are append-only, so a decision taken on a
date can always be explained by the version in force that day, and a change with a future date
leaves earlier decisions alone.

Reading: ``value(key, on=day)`` for one decision, ``timeline(key)`` when many dates are
resolved at once (a month of visits), so a batch reads the versions once.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.core import clock

Number = int | Decimal


@dataclass(frozen=True)
class Parameter:
    """A declared rule number: ``key`` is ``app.name`` (``eldercare.home_care_visits_grade_4``)."""

    key: str
    label: str | Promise
    default: Number
    source: str | Promise
    unit: str | Promise = ""
    minimum: Number | None = None
    maximum: Number | None = None
    decimal: bool = False

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    def parse(self, raw: Any) -> Number:
        """The value as the rule applies it, or a ``ValidationError`` on ``value`` that says
        what is wrong, in the reader's language."""
        try:
            number = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError({"value": _("Enter a number.")}, code="invalid") from None
        if not number.is_finite():
            raise ValidationError({"value": _("Enter a number.")}, code="invalid")
        if not self.decimal and number != number.to_integral_value():
            raise ValidationError({"value": _("Enter a whole number.")}, code="invalid")
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(
                {"value": _("The value must be at least %(limit)s.") % {"limit": self.minimum}},
                code="min_value",
            )
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(
                {"value": _("The value must be at most %(limit)s.") % {"limit": self.maximum}},
                code="max_value",
            )
        return number if self.decimal else int(number)

    def stored(self, number: Number) -> str | int:
        """JSON keeps decimals as text so that 0.1 stays 0.1."""
        return str(number) if self.decimal else int(number)


_DECLARED: dict[str, Parameter] = {}


def declare(*parameters: Parameter) -> None:
    for parameter in parameters:
        if "." not in parameter.key:
            raise ValueError(f"parameter {parameter.key!r} is not named app.name")
        _DECLARED[parameter.key] = parameter


def declared() -> dict[str, Parameter]:
    return dict(_DECLARED)


def get(key: str) -> Parameter:
    try:
        return _DECLARED[key]
    except KeyError:
        raise KeyError(f"undeclared parameter {key!r}") from None


@dataclass(frozen=True)
class Version:
    """The value in force from ``effective_from``; ``pk`` is the stored version a decision
    records (``None``: the declared default, in force until a first version)."""

    key: str
    value: Number
    effective_from: dt.date | None
    source: str
    pk: int | None = None


@dataclass(frozen=True)
class Timeline:
    """The versions of one parameter in one sub-district, oldest first."""

    parameter: Parameter
    versions: Sequence[Version] = field(default_factory=tuple)

    def at(self, day: dt.date) -> Version:
        starts = [v.effective_from for v in self.versions if v.effective_from is not None]
        i = bisect.bisect_right(starts, day)
        if i == 0:
            return default_version(self.parameter)
        return self.versions[i - 1]


def default_version(parameter: Parameter) -> Version:
    return Version(parameter.key, parameter.default, None, str(parameter.source))


def timeline(key: str) -> Timeline:
    """Every recorded version of ``key`` in the active sub-district. Of two versions with the
    same start date, the later recorded one is the correction that counts."""
    from linli.core.models import RuleParameter

    parameter = get(key)
    by_day: dict[dt.date, Version] = {}
    rows = RuleParameter.objects.filter(key=key).order_by("effective_from", "pk")
    for row in rows.values_list("pk", "value", "effective_from", "source"):
        pk, raw, start, source = row
        by_day[start] = Version(key, parameter.parse(raw), start, source, pk)
    return Timeline(parameter, tuple(by_day[d] for d in sorted(by_day)))


def value(key: str, *, on: dt.date | None = None) -> Version:
    """The version of ``key`` in force on ``on`` (today in Shanghai by default)."""
    return timeline(key).at(on or clock.today())
