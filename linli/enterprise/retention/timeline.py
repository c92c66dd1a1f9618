"""What this app adds to an enterprise's timeline: butler visits, its cases and appeals, and its
policy decisions and grants. Registered from ``RetentionConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases import rules as case_rules
from linli.cases.models import Case, Category
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.enterprise.retention import rules
from linli.enterprise.retention.models import Visit
from linli.policies.models import Decision, Grant
from linli.registry.models import Enterprise
from linli.registry.timeline import TimelineEntry, timeline_provider


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=local_zone())


@timeline_provider
def visits(enterprise: Enterprise, access: Access) -> Iterator[TimelineEntry]:
    rows = list(
        Visit.objects.visible_to(access)
        .filter(enterprise=enterprise)
        .select_related("butler")
        .prefetch_related("demands__case")
    )
    staff = bool(rows) and rules.may_read_notes(access, enterprise)
    for visit in rows:
        demands = ", ".join(d.case.number for d in visit.demands.all())
        detail = visit.topics
        if staff:
            detail = _("%(topics)s · met %(people)s") % {
                "topics": visit.topics,
                "people": visit.people_met,
            }
        if demands:
            detail += " · " + _("demands raised: %(cases)s") % {"cases": demands}
        yield TimelineEntry(
            at=_start_of(visit.visited_on),
            kind="visit",
            title=_("Butler visit by %(butler)s") % {"butler": visit.butler or "—"},
            detail=detail,
        )


@timeline_provider
def cases(enterprise: Enterprise, access: Access) -> Iterator[TimelineEntry]:
    if not rules.sees_full_profile(access, enterprise):
        return
    rows = Case.objects.filter(enterprise=enterprise).select_related("category")
    for case in rows:
        appeal = case.category.kind == Category.Kind.ENTERPRISE_APPEAL
        url = ""
        if case_rules.may_view(access, case):
            url = reverse("cases:detail", kwargs={"number": case.number})
        yield TimelineEntry(
            at=case.received_at,
            kind="appeal" if appeal else "case",
            title=_("Appeal %(number)s: %(title)s") % {"number": case.number, "title": case.title}
            if appeal
            else _("Case %(number)s: %(title)s") % {"number": case.number, "title": case.title},
            detail=f"{case.category.name} · {case.get_state_display()}",
            url=url,
        )


@timeline_provider
def policies(enterprise: Enterprise, access: Access) -> Iterator[TimelineEntry]:
    url = reverse("policies:enterprise", kwargs={"pk": enterprise.pk})
    decisions = (
        Decision.objects.visible_to(access)
        .filter(enterprise=enterprise, status=Decision.Status.ELIGIBLE)
        .select_related("policy_version")
    )
    for decision in decisions:
        yield TimelineEntry(
            at=_start_of(decision.evaluated_on),
            kind="policy",
            title=_("Eligible for %(policy)s") % {"policy": decision.policy_version.title},
            detail=decision.get_status_display(),
            url=url,
        )
    grants = Grant.objects.visible_to(access).filter(enterprise=enterprise)
    for grant in grants.select_related("policy_version"):
        yield TimelineEntry(
            at=grant.decided_at,
            kind="grant",
            title=_("Granted %(policy)s") % {"policy": grant.policy_version.title},
            detail=grant.get_status_display()
            + (f" · {grant.amount}" if grant.amount is not None else ""),
            url=url,
        )
