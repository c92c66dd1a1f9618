"""The report archive (download each report's PDF and workbook) and the leaders' schedules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.cockpit import reports as verbs
from linli.cockpit import rules
from linli.cockpit.indicators import INDICATORS
from linli.cockpit.models import Report, ReportSchedule
from linli.cockpit.report_forms import ReportScheduleForm
from linli.cockpit.services import recipients_for
from linli.core.http import page_access, pdf_response, show_errors, xlsx_response

ARCHIVE_PAGE = 60


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.can_manage_reports(access))
    form = ReportScheduleForm(
        request.POST or None, access=access, recipients=recipients_for(access)
    )
    if request.method == "POST" and form.is_valid():
        try:
            verbs.create_report_schedule(access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The report is scheduled."))
            return redirect("cockpit:reports")
    archive = (
        Report.objects.visible_to(access)
        .select_related("schedule")
        .defer("pdf", "xlsx")
        .order_by("-period_start", "-pk")[:ARCHIVE_PAGE]
    )
    schedules = (
        ReportSchedule.objects.visible_to(access)
        .filter(active=True)
        .select_related("grid")
        .prefetch_related("recipients")
    )
    return render(
        request,
        "cockpit/reports.html",
        {
            "archive": archive,
            "schedules": [
                (s, [INDICATORS[k].label for k in s.indicators if k in INDICATORS])
                for s in schedules
            ],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _report(request: HttpRequest, pk: int) -> Report:
    access = page_access(request)
    access.require(rules.can_manage_reports(access))
    return get_object_or_404(Report.objects.visible_to(access).select_related("subdistrict"), pk=pk)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return pdf_response(bytes(report.pdf), verbs.filename(report, "pdf"))


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return xlsx_response(bytes(report.xlsx), verbs.filename(report, "xlsx"))


@login_required
@require_POST
def deactivate_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    schedule = get_object_or_404(ReportSchedule.objects.visible_to(access, "change"), pk=pk)
    verbs.deactivate_report_schedule(access, schedule)
    messages.success(request, _("The schedule is switched off: no more reports are sent."))
    return redirect("cockpit:reports")
