"""The cockpit's reports: the monthly report of each sub-district and the leaders' own
scheduled reports, made by the worker, kept in the archive (``Report``) and delivered to the
recipients' inbox and e-mail with the PDF and the workbook attached.

Once per period. The monthly report is due from the first working day of the month (work
calendar, so 1 October's Golden Week moves it to the 8th), for the month before; a weekly
schedule from the first working day of the week, for the week before. Whether a period has
its report is the archive's answer: a unique key per sub-district and month (per schedule and
period), so a second run, a second worker or a restart makes no second report and sends
nothing twice.

Indicators are monthly figures: a weekly report shows the month of the week just ended, as it
stands when computed (the moment is printed on every page).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from linli.cockpit import catalogue, rules  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.cockpit.models import Report, ReportSchedule
from linli.cockpit.report_content import ReportContent, compute_report
from linli.cockpit.report_pdf import report_pdf
from linli.cockpit.report_xlsx import report_xlsx
from linli.cockpit.services import recipients_for
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.http import PDF, XLSX
from linli.core.messaging import Attachment, email_after_commit, notify
from linli.core.models import Membership, Subdistrict, User
from linli.core.roles import Role
from linli.registry.models import Grid


def leaders_of(subdistrict: Subdistrict) -> list[User]:
    """Who receives the monthly report: the sub-district's leaders."""
    members = Membership.objects.filter(subdistrict=subdistrict, role=Role.LEADER).values("user_id")
    return list(User.objects.filter(pk__in=members, is_active=True).order_by("username"))


def monthly_due(subdistrict: Subdistrict, today: dt.date) -> Period | None:
    """The month whose report is due today: the last one, from this month's first working day."""
    this_month = Period.of(today)
    first = WorkCalendar.for_subdistrict(subdistrict).next_workday(this_month.first_day)
    return this_month.previous if today >= first else None


def week_due(subdistrict: Subdistrict, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The week (Monday to Sunday) whose reports are due today: the last one, from this week's
    first working day."""
    monday = today - dt.timedelta(days=today.weekday())
    first = WorkCalendar.for_subdistrict(subdistrict).next_workday(monday)
    if today < first:
        return None
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def filename(report: Report, extension: str) -> str:
    return f"{report.subdistrict.code}-{report.kind}-{report.period_start:%Y-%m-%d}.{extension}"


def archive_and_deliver(
    subdistrict: Subdistrict,
    content: ReportContent,
    recipients: list[User],
    **fields: object,
) -> Report | None:
    """Archive the report and deliver it, in one transaction; ``None`` if the period already
    has its report (another run got there first)."""
    pdf, xlsx = report_pdf(content), report_xlsx(content)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                subdistrict=subdistrict,
                title=content.title,
                filters=[list(pair) for pair in content.filters],
                pdf=pdf,
                xlsx=xlsx,
                computed_at=content.computed_at,
                **fields,
            )
            audit.record(Access.system(subdistrict), "cockpit.report.send", report)
            title = f"{content.subdistrict} · {content.title}"
            notify(
                recipients,
                subdistrict,
                title=title,
                body=_("The PDF and the workbook are in the report archive."),
                url=reverse("cockpit:reports"),
            )
            email_after_commit(
                (u.email for u in recipients),
                title,
                _("The report is attached as a PDF and an Excel workbook."),
                [
                    Attachment(filename(report, "pdf"), pdf, PDF),
                    Attachment(filename(report, "xlsx"), xlsx, XLSX),
                ],
            )
    except IntegrityError:
        return None
    return report


def make_monthly_report(subdistrict: Subdistrict, month: Period) -> Report | None:
    """The month's report with every indicator, sent to the leaders; ``None`` if it exists."""
    with scope(subdistrict=subdistrict):
        kind = Report.Kind.MONTHLY
        if Report.objects.filter(kind=kind, period_start=month.first_day).exists():
            return None
        content = compute_report(
            Access.system(subdistrict),
            title=_("Monthly report %(month)s") % {"month": month},
            month=month,
            keys=list(INDICATORS),
        )
        return archive_and_deliver(
            subdistrict,
            content,
            leaders_of(subdistrict),
            kind=kind,
            period_start=month.first_day,
            period_end=month.last_day,
        )


def _schedule_period(
    subdistrict: Subdistrict, schedule: ReportSchedule, today: dt.date
) -> tuple[dt.date, dt.date, Period] | None:
    if schedule.frequency == ReportSchedule.Frequency.WEEKLY:
        week = week_due(subdistrict, today)
        return None if week is None else (week[0], week[1], Period.of(week[1]))
    month = monthly_due(subdistrict, today)
    return None if month is None else (month.first_day, month.last_day, month)


def send_scheduled_report(
    subdistrict: Subdistrict, schedule: ReportSchedule, today: dt.date
) -> Report | None:
    """The schedule's report for the period due today, unless it has been sent."""
    due = _schedule_period(subdistrict, schedule, today)
    if due is None:
        return None
    start, end, month = due
    if Report.objects.filter(schedule=schedule, period_start=start).exists():
        return None
    extra = []
    if schedule.frequency == ReportSchedule.Frequency.WEEKLY:
        extra.append((_("Week"), f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"))
    content = compute_report(
        Access.system(subdistrict),
        title=schedule.name,
        month=month,
        keys=schedule.indicators,
        grid=schedule.grid,
        extra_filters=extra,
    )
    return archive_and_deliver(
        subdistrict,
        content,
        list(schedule.recipients.filter(is_active=True)),
        kind=Report.Kind.SCHEDULED,
        schedule=schedule,
        period_start=start,
        period_end=end,
    )


def send_due_reports(subdistrict: Subdistrict, today: dt.date | None = None) -> int:
    """The monthly report and every schedule's report due today; the number made."""
    today = today or clock.today()
    made = 0
    month = monthly_due(subdistrict, today)
    if month is not None and make_monthly_report(subdistrict, month) is not None:
        made += 1
    with scope(subdistrict=subdistrict):
        schedules = list(
            ReportSchedule.objects.filter(active=True).select_related("grid", "subdistrict")
        )
        for schedule in schedules:
            if send_scheduled_report(subdistrict, schedule, today) is not None:
                made += 1
    return made


def create_report_schedule(
    actor: Access,
    *,
    name: str,
    indicators: list[str],
    grid: Grid | None,
    frequency: str,
    recipients: list[User],
) -> ReportSchedule:
    actor.require(rules.can_manage_reports(actor))
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the report a name.")
    if not indicators or any(key not in INDICATORS for key in indicators):
        errors["indicators"] = _("Choose one or more indicators of the cockpit.")
    if grid is not None and grid.subdistrict_id != getattr(actor.subdistrict, "pk", None):
        errors["grid"] = _("Choose a grid of this sub-district.")
    if frequency not in ReportSchedule.Frequency.values:
        errors["frequency"] = _("Choose weekly or monthly.")
    allowed = {u.pk for u in recipients_for(actor)}
    if not recipients or any(u.pk not in allowed for u in recipients):
        errors["recipients"] = _("Choose leaders or administrators of this sub-district.")
    if errors:
        raise ValidationError(errors)
    assert actor.subdistrict is not None  # noqa: S101 - a leader works in one
    with transaction.atomic():
        schedule = ReportSchedule.objects.create(
            subdistrict=actor.subdistrict,
            name=name.strip(),
            indicators=list(indicators),
            grid=grid,
            frequency=frequency,
            created_by=actor.user,
        )
        schedule.recipients.set(recipients)
        audit.record(
            actor,
            "cockpit.report_schedule.create",
            schedule,
            after={
                "name": schedule.name,
                "indicators": schedule.indicators,
                "grid": grid.code if grid else None,
                "frequency": frequency,
                "recipients": sorted(u.pk for u in recipients),
            },
        )
    return schedule


def deactivate_report_schedule(actor: Access, schedule: ReportSchedule) -> ReportSchedule:
    actor.require(rules.can_manage_reports(actor))
    with transaction.atomic():
        ReportSchedule.objects.filter(pk=schedule.pk).update(active=False)
        audit.record(actor, "cockpit.report_schedule.deactivate", schedule)
    schedule.refresh_from_db()
    return schedule
