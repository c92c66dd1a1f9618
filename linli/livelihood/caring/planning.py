"""Who is entitled to caring visits, read from the registry: a person living here, aged 60 or
more (the parameter ``caring.min_age``) from the date of birth, with a ``living_alone`` or
``empty_nest`` tag in force. The elder's file keeps ``living_alone`` in step with the living
situation, so the registry tag is the one source. ``plan_everyone`` makes the month's missing
plans in one statement (the monthly plan, also at district scale in ``bench/eldercare.py``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from linli.core import audit, clock, parameters, statistics
from linli.core.access import Access
from linli.core.roles import ADMINS
from linli.livelihood.caring import rules
from linli.livelihood.caring.models import CaringPlan
from linli.people.models import Person, PersonTag

REASON_TAGS = {
    "living_alone": CaringPlan.Reason.LIVING_ALONE,
    "empty_nest": CaringPlan.Reason.EMPTY_NEST,
}


def _tag_in_force(code: str, day: dt.date) -> Exists:
    return Exists(
        PersonTag.objects.filter(
            person_id=OuterRef("pk"),
            kind__code=code,
            valid_from__lte=day,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def birth_cutoff(day: dt.date, age: int) -> dt.date:
    """The latest birth date of someone ``age`` or older on ``day`` (29 February → 28th)."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:
        return day.replace(year=day.year - age, day=28)


def entitled(day: dt.date) -> QuerySet[Person]:
    """Persons entitled to caring visits on ``day``, annotated ``alone`` and ``empty_nest``."""
    age = int(parameters.value("caring.min_age", on=day).value)
    return (
        Person.objects.filter(status=Person.Status.LIVING, birth_date__lte=birth_cutoff(day, age))
        .annotate(
            alone=_tag_in_force("living_alone", day), empty_nest=_tag_in_force("empty_nest", day)
        )
        .filter(Q(alone=True) | Q(empty_nest=True))
    )


def without_plan(day: dt.date) -> QuerySet[Person]:
    open_plans = CaringPlan.objects.filter(person_id=OuterRef("pk"), ended_on__isnull=True)
    return entitled(day).filter(~Exists(open_plans))


def plan_everyone(actor: Access, day: dt.date) -> int:
    """Open a plan for every entitled person of the sub-district who has none (no visitor yet;
    the committee assigns them), in one ``INSERT … SELECT``: the database finds and writes them
    without a row passing through Python. Returns how many were made."""
    actor.require(rules.may_manage_plans(actor))
    subdistrict = actor.subdistrict
    assert subdistrict is not None  # noqa: S101 - the actor acts in a sub-district
    version = parameters.value("caring.visit_every_days", on=day)
    persons = without_plan(day)
    if not actor.has_any(ADMINS):
        persons = persons.filter(pk__in=Person.objects.visible_to(actor, "change").values("pk"))
    columns = {
        "subdistrict_id": Value(subdistrict.pk, IntegerField()),
        "person_id": F("pk"),
        "reason": Case(
            When(alone=True, then=Value(CaringPlan.Reason.LIVING_ALONE.value)),
            default=Value(CaringPlan.Reason.EMPTY_NEST.value),
            output_field=CharField(),
        ),
        "starts_on": Value(day, DateField()),
        "next_due_on": Value(day + dt.timedelta(days=int(version.value)), DateField()),
        "due_version": Value(version.pk, IntegerField()),
        "created_by_id": Value(actor.user.pk if actor.user else None, IntegerField()),
        "created_at": Value(clock.now(), DateTimeField()),
        "end_reason": Value("", CharField()),
    }
    select = persons.order_by().annotate(**{f"new_{k}": v for k, v in columns.items()})
    sql, params = select.values_list(*(f"new_{k}" for k in columns)).query.sql_with_params()
    table = connection.ops.quote_name(CaringPlan._meta.db_table)
    names = ", ".join(connection.ops.quote_name(k) for k in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608 - our names
        made = cursor.rowcount
        # Thousands of rows at once: the planner needs to know (see ``core.statistics``).
        statistics.refresh(CaringPlan)
        audit.record(
            actor, "caring.plan.generate", None, after={"day": day.isoformat(), "made": made}
        )
    return made
