"""Elderly care's panels of the home page (``core.workbench``): a caregiver's visits of the day;
for care staff, the month's missed visits, orders waiting for approval and re-assessments due."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock, parameters
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.workbench import ALERT, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare import rules, statistics
from linli.livelihood.eldercare.models import Assessment, CareOrder, CareVisit, ElderFile

SHOWN = 8


@panel("eldercare.caregiver", roles={Role.CAREGIVER}, order=20, applies=rules.is_caregiver)
def caregiver_day(access: Access) -> PanelView:
    zone = clock.local_zone()
    start = dt.datetime.combine(clock.today(), dt.time(0), tzinfo=zone)
    visits = (
        CareVisit.objects.visible_to(access)
        .filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
        .exclude(status=CareVisit.Status.CANCELLED)
        .select_related("order__person")
        .order_by("starts_at")
    )
    rows = list(visits[:SHOWN])
    open_count = visits.filter(
        status__in=(CareVisit.Status.PLANNED, CareVisit.Status.CHECKED_IN)
    ).count()
    url = reverse("eldercare:today")
    return PanelView(
        title=_("Today's care visits"),
        figures=[Figure(_("Visits still to do today"), open_count, url, tone=WARN)],
        lists=[
            ItemList(
                _("Today's visits"),
                [
                    Item(
                        title=v.order.person.name,
                        url=url,
                        when=f"{clock.local(v.starts_at):%H:%M}",
                        badge=v.get_status_display(),
                        tone=ALERT if v.status == CareVisit.Status.MISSED else "",
                    )
                    for v in rows
                ],
                _("No visits today."),
            )
        ],
        links=[Link(_("Today's visits"), url, primary=True)],
    )


@panel("eldercare.staff", roles=ADMINS | {Role.HANDLER}, order=70, applies=rules.is_care_staff)
def care_staff(access: Access) -> PanelView | None:
    """Left out where the reader has no elder's file yet (nothing to follow)."""
    if not ElderFile.objects.visible_to(access).exists():
        return None
    today = clock.today()
    month = statistics.month_visits(access, today)
    days = parameters.value(keys.REMINDER, on=today).value
    expiring = (
        Assessment.objects.visible_to(access)
        .filter(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=int(days)))
        .count()
    )
    waiting = CareOrder.objects.visible_to(access).filter(status=CareOrder.Status.REQUESTED).count()
    return PanelView(
        title=_("Elderly care"),
        figures=[
            Figure(_("Orders to approve"), waiting, reverse("eldercare:elders"), tone=WARN),
            Figure(
                _("Visits missed this month"),
                month.filter(status=CareVisit.Status.MISSED).count(),
                reverse("eldercare:hours"),
                tone=ALERT,
            ),
            Figure(
                _("Assessments expiring soon"), expiring, reverse("eldercare:elders"), tone=WARN
            ),
        ],
        links=[
            Link(_("Elderly care"), reverse("eldercare:elders"), primary=True),
            Link(_("Care hours"), reverse("eldercare:hours")),
        ],
    )
