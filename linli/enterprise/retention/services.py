"""Retention verbs: portfolios, visit plans, visits with their demands, notes, group service and
the nightly risk snapshot. Each checks who acts, runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.cases.models import Case, Category, Channel, CoHandler
from linli.cases.services import add_co_handler, submit_case
from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import Membership, Organisation, Subdistrict, User
from linli.core.roles import Role
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import assess_many, stored
from linli.enterprise.retention.models import (
    ButlerNote,
    RiskSnapshot,
    Visit,
    VisitDemand,
    VisitPlan,
)
from linli.registry.models import Building, Enterprise

BUTLER_ROLES = {Role.BUTLER, Role.AMBASSADOR}


@dataclass(frozen=True)
class Demand:
    """One demand raised in a visit: it becomes an enterprise-appeal case."""

    category: Category
    description: str
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # the category's extra questions


def _is_butler(user: User, subdistrict: Subdistrict) -> bool:
    return Membership.objects.filter(
        user=user, subdistrict=subdistrict, role__in=BUTLER_ROLES
    ).exists()


def assign_portfolio(
    *,
    actor: Access,
    butler: User,
    building: Building | None = None,
    industry: str = "",
) -> int:
    """Give ``butler`` every enterprise of a building, or of an industry (a GB/T 4754 code or its
    prefix: ``I`` or ``I65``). One audit row per enterprise whose butler changes."""
    actor.require(rules.can_assign(actor))
    assert actor.subdistrict is not None  # noqa: S101 - the middleware sets one for staff
    industry = industry.strip().upper()
    errors: dict[str, list[str]] = {}
    if not _is_butler(butler, actor.subdistrict):
        errors["butler"] = [_("Choose a butler of this sub-district.")]
    if (building is None) == (not industry):
        errors["building"] = [_("Choose a building or an industry, not both.")]
    if errors:
        raise ValidationError(errors)
    enterprises = Enterprise.objects.exclude(status=Enterprise.Status.CLOSED)
    if building is not None:
        enterprises = enterprises.filter(building=building)
    else:
        enterprises = enterprises.filter(industry_code__startswith=industry)
    changed = 0
    with transaction.atomic():
        for enterprise in enterprises.select_for_update().exclude(butler=butler):
            before = enterprise.butler_id
            enterprise.butler = butler
            enterprise.save(update_fields=["butler"])
            audit.record(
                actor,
                "retention.portfolio.assign",
                enterprise,
                before={"butler_id": before},
                after={"butler_id": butler.pk},
            )
            changed += 1
        if changed:
            notify(
                [butler],
                actor.subdistrict,
                title=ngettext(
                    "%(count)s enterprise added to your portfolio",
                    "%(count)s enterprises added to your portfolio",
                    changed,
                )
                % {"count": changed},
                url=reverse("retention:portfolio"),
            )
    return changed


def save_visit_plan(*, actor: Access, name: str, every_months: int, tag: str = "") -> VisitPlan:
    actor.require(rules.can_plan(actor))
    assert actor.subdistrict is not None  # noqa: S101
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the plan a name.")]
    elif len(name) > (limit := limits.max_length(VisitPlan, "name")):
        errors["name"] = [limits.too_long(limit, len(name))]
    if not 1 <= int(every_months or 0) <= 24:
        errors["every_months"] = [_("Choose between 1 and 24 months.")]
    if tag and tag not in Enterprise.Tag.values:
        errors["tag"] = [_("Unknown tag.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = VisitPlan.objects.create(
            subdistrict=actor.subdistrict,
            name=name,
            tag=tag,
            every_months=every_months,
            created_by=actor.user,
        )
        audit.record(actor, "retention.visit_plan.create", plan, after=audit.snapshot(plan))
    return plan


def end_visit_plan(plan: VisitPlan, *, actor: Access) -> VisitPlan:
    actor.require(rules.can_plan(actor))
    with transaction.atomic():
        plan.active = False
        plan.save(update_fields=["active"])
        audit.record(
            actor,
            "retention.visit_plan.end",
            plan,
            before={"active": True},
            after={"active": False},
        )
    return plan


def log_visit(
    enterprise: Enterprise,
    *,
    actor: Access,
    visited_on: dt.date,
    people_met: str,
    topics: str,
    notes: str = "",
    demands: Sequence[Demand] = (),
) -> Visit:
    """Record a visit; every demand raised becomes an enterprise-appeal case in the same step
    (all or nothing: a refused demand leaves no visit and no case behind)."""
    actor.require(rules.may_log_visit(actor, enterprise))
    people_met, topics = (people_met or "").strip(), (topics or "").strip()
    errors: dict[str, list[str]] = {}
    if visited_on > clock.today():
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    if not people_met:
        errors["people_met"] = [_("Say whom you met.")]
    if not topics:
        errors["topics"] = [_("Say what you talked about.")]
    for name, value in (("people_met", people_met), ("topics", topics)):
        if len(value) > (limit := limits.max_length(Visit, name)):
            errors[name] = [limits.too_long(limit, len(value))]
    for n, demand in enumerate(demands):
        if demand.category.kind != Category.Kind.ENTERPRISE_APPEAL:
            errors[f"demands.{n}.category"] = [_("Choose an enterprise-appeal category.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            subdistrict_id=enterprise.subdistrict_id,
            enterprise=enterprise,
            butler=actor.user,
            visited_on=visited_on,
            people_met=people_met,
            topics=topics,
            notes=(notes or "").strip(),
        )
        for n, demand in enumerate(demands):
            try:
                case = submit_case(
                    actor=actor,
                    category=demand.category,
                    channel=Channel.BUTLER_VISIT,
                    description=demand.description,
                    title=demand.title,
                    enterprise=enterprise,
                    extra=demand.extra,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {f"demands.{n}.{name}": messages for name, messages in exc.message_dict.items()}
                ) from exc
            VisitDemand.objects.create(subdistrict_id=visit.subdistrict_id, visit=visit, case=case)
        audit.record(actor, "retention.visit.log", visit, after=audit.snapshot(visit))
    return visit


def write_note(enterprise: Enterprise, *, actor: Access, text: str) -> ButlerNote:
    actor.require(rules.may_write_note(actor, enterprise))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note first.")]})
    with transaction.atomic():
        note = ButlerNote.objects.create(
            subdistrict_id=enterprise.subdistrict_id,
            enterprise=enterprise,
            author=actor.user,
            text=text,
        )
        audit.record(actor, "retention.butler_note.create", note, after=audit.snapshot(note))
    return note


def pull_in_departments(
    case: Case, organisations: Sequence[Organisation], *, actor: Access, part: str
) -> list[CoHandler]:
    """Group service (组团服务): several departments join one enterprise's case as co-handlers,
    all or none."""
    if case.enterprise is None:
        raise ValidationError({"case": [_("This case is not about an enterprise.")]})
    actor.require(rules.may_pull_in_departments(actor, case.enterprise))
    if not organisations:
        raise ValidationError({"organisations": [_("Choose at least one department.")]})
    with transaction.atomic():
        return [add_co_handler(case, org, actor=actor, part=part) for org in organisations]


def snapshot_risks(subdistrict: Subdistrict, *, today: dt.date | None = None) -> int:
    """Store today's score of every active enterprise; a second run the same day overwrites the
    first, so the job is safe to repeat."""
    today = today or clock.today()
    enterprises = Enterprise.objects.filter(subdistrict=subdistrict).exclude(
        status=Enterprise.Status.CLOSED
    )
    rows = [
        RiskSnapshot(
            subdistrict=subdistrict,
            enterprise=a.enterprise,
            on=today,
            score=a.score.total,
            factors=stored(a.score),
            tax=a.tax,
        )
        for a in assess_many(enterprises, today=today)
    ]
    with transaction.atomic():
        RiskSnapshot.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["subdistrict", "enterprise", "on"],
            update_fields=["score", "factors", "tax"],
        )
    return len(rows)
