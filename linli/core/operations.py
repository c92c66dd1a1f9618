"""The administrators' panel of the workbench: how the sub-district's installation is doing
(people, today's audit trail, the work calendar, the background worker), with what to do
about any warning."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import clock, health, work_calendar
from linli.core.access import Access
from linli.core.models import AuditEntry, Membership
from linli.core.roles import ADMINS
from linli.core.workbench import ALERT, WARN, Figure, Link, PanelView, panel


@panel("core.operations", roles=ADMINS, order=90)
def operations(access: Access) -> PanelView:
    today = clock.today()
    people = Membership.objects.visible_to(access).values("user").distinct().count()
    audited = AuditEntry.objects.filter(
        subdistrict=access.subdistrict,
        at__gte=dt.datetime.combine(today, dt.time.min, clock.local_zone()),
    ).count()
    checks = health.checks()
    failing = health.problems(checks)
    warnings = []
    if (year := work_calendar.pending_year(today)) is not None:
        warnings.append(
            _(
                "The %(year)s holiday schedule is not entered yet: until it is, every weekday "
                "of %(year)s counts as a working day for deadlines."
            )
            % {"year": year}
        )
    warnings += [str(PROBLEMS[name]) for name in failing if name in PROBLEMS]
    figures = [
        Figure(_("people with a role here"), people),
        Figure(_("audit entries today"), audited, url=reverse("audit_log")),
    ]
    if "workers_alive" in checks:
        figures += [
            Figure(
                _("background workers running"),
                checks["workers_alive"],
                tone=ALERT if checks["workers_alive"] == 0 else "",
            ),
            Figure(
                _("background jobs waiting"),
                checks["jobs_waiting"],
                tone=WARN if "oldest_waiting_seconds" in failing else "",
            ),
        ]
    return PanelView(
        title=_("Operations"),
        figures=figures,
        warnings=warnings,
        links=[
            Link(_("Work calendar"), reverse("work_calendar"), primary=year is not None),
            Link(_("Personal-data requests"), reverse("data_rights")),
            Link(_("Audit log"), reverse("audit_log")),
        ],
    )


PROBLEMS = {
    "database": gettext_lazy("The database does not answer."),
    "workers_alive": gettext_lazy(
        "No background worker is running: reminders, notifications and imports wait until "
        "one starts."
    ),
    "oldest_waiting_seconds": gettext_lazy(
        "Background jobs have waited more than ten minutes: the worker is not keeping up."
    ),
}
