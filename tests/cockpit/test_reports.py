"""Reports: the monthly report is made once per month on the first working day, kept in the
archive and delivered; its PDF reads the sub-district's name and the figures and draws on its
first page; its workbook and a scheduled report's state their filters; a schedule sends once
per period; the archive and the schedule form work for the leaders."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdfium2
import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from linli.cases import services as s
from linli.cockpit.indicators import Period
from linli.cockpit.models import Report, ReportSchedule
from linli.cockpit.report_content import compute_report
from linli.cockpit.reports import (
    archive_and_deliver,
    create_report_schedule,
    leaders_of,
    send_due_reports,
)
from linli.core.access import Access
from linli.core.models import Notification

CHINESE_NAME = "静安寺街道"


def inbox(user) -> list[str]:
    with scopes_disabled():
        return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


@pytest.fixture
def september(office, report, now):
    """Five cases in September (four by the web form, one by phone), all dispatched; the
    sub-district goes by its Chinese name."""
    office.subdistrict.name = CHINESE_NAME
    with scopes_disabled():
        office.subdistrict.save()
    d = office.access(office.dispatcher)
    now("2026-09-22 10:00")
    cases = [report() for _ in range(4)] + [report(channel="phone", actor=d)]
    for case in cases:
        s.register_case(case, actor=d)
        s.dispatch_case(case, office.dept_a, actor=d)
    return cases


def monthly_reports() -> list[Report]:
    return list(Report.objects.filter(kind=Report.Kind.MONTHLY))


def test_the_monthly_report_is_made_once_on_the_first_working_day(
    office, september, now, django_capture_on_commit_callbacks
):
    # 1-7 October 2026 are the National Day holidays: the report waits for the 8th.
    now("2026-10-02 07:00")
    assert send_due_reports(office.subdistrict) == 0
    assert monthly_reports() == []
    now("2026-10-08 07:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reports(office.subdistrict) == 1
    now("2026-10-09 07:00")  # the next day's run, or a second worker: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reports(office.subdistrict) == 0
        assert send_due_reports(office.subdistrict) == 0
    (made,) = monthly_reports()
    assert (made.period_start, made.period_end) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert inbox(office.leader) == [f"{CHINESE_NAME} · Monthly report 2026-09"]
    (sent,) = mail.outbox
    assert sent.to == [office.leader.email]
    assert [name for name, _content, _type in sent.attachments] == [
        "310106013-monthly-2026-09-01.pdf",
        "310106013-monthly-2026-09-01.xlsx",
    ]


def test_the_pdf_names_the_subdistrict_and_prints_the_figures_on_every_page(office, september, now):
    now("2026-10-08 07:00")
    send_due_reports(office.subdistrict)
    (made,) = monthly_reports()
    text = pdf_text(bytes(made.pdf))
    assert CHINESE_NAME in text
    assert re.search(r"Cases received\s*5\b", text)  # four web reports and a phone call
    pages = PdfReader(io.BytesIO(bytes(made.pdf))).pages
    assert len(pages) > 1
    for page in pages:
        page_text = page.extract_text()
        assert "Filters: Month: 2026-09; Grid: all grids" in page_text
        assert "Computed at 2026-10-08 07:00 (Asia/Shanghai)" in page_text


def test_page_one_of_the_pdf_is_drawn(office, september, now):
    now("2026-10-08 07:00")
    send_due_reports(office.subdistrict)
    (made,) = monthly_reports()
    page = pypdfium2.PdfDocument(bytes(made.pdf))[0]
    image = page.render(scale=1).to_pil().convert("L")
    inked = sum(image.histogram()[:200])  # pixels darker than light grey
    assert inked > 0.01 * image.width * image.height


def test_the_workbook_states_its_filters_on_every_sheet(office, september, now):
    now("2026-10-08 07:00")
    send_due_reports(office.subdistrict)
    (made,) = monthly_reports()
    book = sheets(bytes(made.xlsx))
    assert list(book)[:2] == ["Figures", "Cases received"]
    for rows in book.values():
        assert rows[0][1] == CHINESE_NAME
        assert rows[1][:2] == ("Filters", "Month: 2026-09; Grid: all grids")
        assert rows[2][:2] == ("Computed at", "2026-10-08 07:00 (Asia/Shanghai)")
    figures = {row[8]: row for row in book["Figures"][5:]}
    assert figures["cases.intake"][2] == 5
    assert dict(book["Cases received"][5:]) == {"Web form": 4, "Phone call": 1}


@pytest.fixture
def weekly(office):
    return create_report_schedule(
        office.access(office.leader),
        name="Grid 1 this week",
        indicators=["cases.overdue", "cases.intake"],
        grid=office.grid,
        frequency=ReportSchedule.Frequency.WEEKLY,
        recipients=[office.leader],
    )


def scheduled() -> list[Report]:
    return list(Report.objects.filter(kind=Report.Kind.SCHEDULED).order_by("period_start"))


def test_a_schedule_sends_once_per_period(office, september, now, weekly):
    now("2026-09-28 07:00")  # Monday 28 September, a working day: the week of the 21st
    send_due_reports(office.subdistrict)
    assert [r.period_start for r in scheduled()] == [dt.date(2026, 9, 21)]
    now("2026-09-30 07:00")
    assert send_due_reports(office.subdistrict) == 0
    # The week of 5 October is all holidays: its first working day is the next Monday's.
    now("2026-10-05 07:00")
    assert send_due_reports(office.subdistrict) == 0
    now("2026-10-12 09:00")
    send_due_reports(office.subdistrict)
    send_due_reports(office.subdistrict)
    assert [r.period_start for r in scheduled()] == [dt.date(2026, 9, 21), dt.date(2026, 10, 5)]
    assert inbox(office.leader).count(f"{CHINESE_NAME} · Grid 1 this week") == 2


def test_a_switched_off_schedule_sends_nothing(office, september, now, weekly, client_for):
    client = client_for(office.leader)
    client.post(reverse("cockpit:deactivate_report_schedule", args=[weekly.pk]))
    now("2026-09-28 07:00")
    send_due_reports(office.subdistrict)
    assert scheduled() == []


def test_a_grid_filter_narrows_what_is_broken_down_by_grid(office, september, now, weekly):
    now("2026-09-28 07:00")  # every case is past its acceptance limit
    send_due_reports(office.subdistrict)
    (sent,) = scheduled()
    book = sheets(bytes(sent.xlsx))
    assert book["Figures"][1][:2] == (
        "Filters",
        "Month: 2026-09; Week: 2026-09-21 – 2026-09-27; Grid: G01 Grid 1",
    )
    figures = {row[8]: row for row in book["Figures"][5:]}
    assert figures["cases.overdue"][2] == 5 and figures["cases.overdue"][5] == "yes"
    # The intake is broken down by channel, not by grid: it says it is the whole area's.
    assert figures["cases.intake"][5] == "no: the whole sub-district"
    assert "Not broken down by grid" in pdf_text(bytes(sent.pdf))


def test_a_bad_schedule_is_refused_on_its_field(office, client_for):
    client = client_for(office.leader)
    url = reverse("cockpit:reports")
    bad = client.post(
        url,
        {"name": "Weekly", "frequency": "weekly", "recipients": [office.handler_a.pk]},
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"indicators", "recipients"}
    assert not ReportSchedule.objects.exists()
    good = client.post(
        url,
        {
            "name": "Weekly",
            "frequency": "weekly",
            "indicators": ["cases.overdue"],
            "grid": office.grid.pk,
            "recipients": [office.leader.pk],
        },
    )
    assert good.status_code == 302
    page = client.get(url).content.decode()
    assert "Weekly" in page and "G01 Grid 1" in page


def test_the_archive_lists_the_reports_to_download(office, september, now, client_for):
    now("2026-10-08 07:00")
    send_due_reports(office.subdistrict)
    (made,) = monthly_reports()
    client = client_for(office.leader)
    page = client.get(reverse("cockpit:reports"))
    assert "Monthly report 2026-09" in page.content.decode()
    pdf = client.get(reverse("cockpit:report_pdf", args=[made.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("cockpit:report_xlsx", args=[made.pk]))
    assert sheets(xlsx.content)["Figures"][0][:2] == ("Monthly report 2026-09", CHINESE_NAME)
    assert client_for(office.handler_a).get(reverse("cockpit:reports")).status_code == 403


def test_a_second_worker_past_the_check_makes_and_sends_nothing(office, september, now):
    """Two workers that both found no report for the month: the archive's unique key stops
    the second, and its inbox messages roll back with it."""
    now("2026-10-08 07:00")
    month = Period(2026, 9)
    content = compute_report(
        Access.system(office.subdistrict), title="Monthly", month=month, keys=["cases.intake"]
    )
    fields = {
        "kind": Report.Kind.MONTHLY,
        "period_start": month.first_day,
        "period_end": month.last_day,
    }
    leaders = leaders_of(office.subdistrict)
    assert archive_and_deliver(office.subdistrict, content, leaders, **fields) is not None
    assert archive_and_deliver(office.subdistrict, content, leaders, **fields) is None
    assert len(monthly_reports()) == 1
    assert len(inbox(office.leader)) == 1
