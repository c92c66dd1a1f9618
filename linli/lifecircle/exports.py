"""The life-circle report as an Excel workbook and as a PDF.

The PDF uses reportlab's built-in CID font STSong-Light for Chinese: the viewer supplies the
glyphs (every PDF reader ships the Adobe CJK fallback), so no font file has to be installed on
the server or embedded in the document.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from linli.core import clock, spreadsheets
from linli.lifecircle.analysis.labels import percent

CJK_FONT = "STSong-Light"


def _num(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _title(report: dict[str, Any], subdistrict_name: str) -> str:
    return _("15-minute life circle report: %(name)s") % {"name": subdistrict_name}


def coverage_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Facility type"),
        _("Tier (minutes)"),
        _("Walking distance (m)"),
        _("Weighted by"),
        _("Facilities (outside the boundary)"),
        _("Covered"),
        _("Not covered"),
        _("Coverage"),
    ]
    rows = [
        [
            c["label"],
            c["tier"],
            round(c["threshold_m"]),
            c["weight_label"],
            f"{c['facilities']} ({c['facilities_outside']})",
            round(c["covered"]),
            round(c["uncovered"]),
            c["share"],
        ]
        for c in report["coverage"]
    ]
    return header, rows


def two_step_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Facility type"),
        _("Capacity unit"),
        _("Facilities"),
        _("Total capacity"),
        _("Per 1,000 people within reach"),
        _("People with no access"),
        _("Weighted by"),
    ]
    rows = [
        [
            r["label"],
            r["unit"],
            r["facilities"],
            r["capacity"],
            None if r["per_thousand"] is None else round(r["per_thousand"], 2),
            round(r["no_access"]),
            r["weight_label"],
        ]
        for r in report["two_step"]
    ]
    return header, rows


def gap_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Quarter"),
        _("Facility type"),
        _("Walking distance (m)"),
        _("Not covered"),
        _("Weighted by"),
        _("Coverage in the quarter"),
        _("Walk from the farthest home (m)"),
    ]
    rows = [
        [
            g["quarter"].name,
            g["label"],
            round(g["threshold_m"]),
            round(g["uncovered"]),
            g["weight_label"],
            g["share"],
            None if g["farthest_m"] is None else round(g["farthest_m"]),
        ]
        for g in report["gaps"]
    ]
    return header, rows


def homes_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Quarter"),
        _("Homes from"),
        _("Residential buildings"),
        _("Residents"),
        _("residents over 60"),
        _("Aged 80 and over"),
    ]
    rows = [
        [
            h["quarter"].name,
            h["homes_label"],
            h["buildings"],
            h["population"],
            h["over_60"],
            h["over_80"],
        ]
        for h in report["homes"]
    ]
    return header, rows


def facility_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Facility type"),
        _("Facility"),
        _("Capacity"),
        _("People within reach"),
        _("Per 1,000 people within reach"),
    ]
    rows = [
        [
            r["label"],
            f["facility"].name,
            f["capacity"],
            round(f["demand"]),
            None if f["per_thousand"] is None else round(f["per_thousand"], 2),
        ]
        for r in report["two_step"]
        for f in r["facility_rows"]
    ]
    return header, rows


def _header(sheet: Any, labels: list[str]) -> list[Any]:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F7")
    return [spreadsheets.cell(sheet, label, font=bold, fill=fill) for label in labels]


def _row(sheet: Any, values: list[Any], percent_columns: set[int]) -> list[Any]:
    """Text as text (``core.spreadsheets``: never a formula); shares as percentages."""
    return [
        spreadsheets.cell(sheet, value, number_format="0.0%")
        if i in percent_columns and isinstance(value, float)
        else spreadsheets.cell(sheet, value)
        for i, value in enumerate(values)
    ]


def to_xlsx(report: dict[str, Any], subdistrict_name: str) -> bytes:
    """The report's five tables, one sheet each, written through ``core.spreadsheets``: facility
    and quarter names are text, never formulas."""
    book = spreadsheets.new_workbook()
    sheets = [
        (_("Coverage"), coverage_rows(report), {7}),
        (_("Gaps"), gap_rows(report), {5}),
        (_("2SFCA"), two_step_rows(report), set()),
        (_("2SFCA by facility"), facility_rows(report), set()),
        (_("Homes"), homes_rows(report), set()),
    ]
    for n, (title, (header, rows), percent_columns) in enumerate(sheets):
        sheet = book.create_sheet(title[:31])
        for i, label in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(label) + 4))
        start = 1
        if n == 0:
            heading = spreadsheets.cell(
                sheet, _title(report, subdistrict_name), font=Font(bold=True, size=13)
            )
            generated = _("Generated %(time)s; network version %(version)s") % {
                "time": clock.local(clock.now()).strftime("%Y-%m-%d %H:%M"),
                "version": report["version"].pk,
            }
            spreadsheets.append(sheet, [heading])
            spreadsheets.append(sheet, [generated])
            spreadsheets.append(sheet, [])
            start = 4
        sheet.freeze_panes = f"A{start + 1}"
        spreadsheets.append(sheet, _header(sheet, header))
        for row in rows:
            spreadsheets.append(sheet, _row(sheet, row, percent_columns))
    return spreadsheets.workbook_bytes(book)


def to_pdf(report: dict[str, Any], subdistrict_name: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2", "Normal"):
        styles[name].fontName = CJK_FONT
    small = styles["Normal"].clone("small", fontSize=8, leading=10)

    def table(header: list[str], rows: list[list[Any]], shares: set[int]) -> Table:
        def cell(i: int, value: Any) -> Any:
            if i in shares and isinstance(value, float):
                value = percent(value)
            elif value is None:
                value = "—"
            elif isinstance(value, int | float):
                value = _num(value, 2 if isinstance(value, float) and value % 1 else 0)
            return Paragraph(str(value), small)

        data = [[Paragraph(h, small) for h in header]]
        data += [[cell(i, v) for i, v in enumerate(row)] for row in rows]
        t = Table(data, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF2F7")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#B0B8C4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_title(report, subdistrict_name),
    )
    intro = _(
        "%(population)s residents (%(over_60)s over 60) in %(quarters)s quarters; "
        "%(facilities)s facilities, %(outside)s of them within 1 km outside the boundary. "
        "Generated %(time)s from network version %(version)s."
    ) % {
        "population": f"{report['population']:,}",
        "over_60": f"{report['over_60']:,}",
        "quarters": report["quarters"],
        "facilities": report["facilities"],
        "outside": report["facilities_outside"],
        "time": clock.local(clock.now()).strftime("%Y-%m-%d %H:%M"),
        "version": report["version"].pk,
    }
    story: list[Any] = [
        Paragraph(_title(report, subdistrict_name), styles["Title"]),
        Paragraph(intro, styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(_("Coverage by facility type"), styles["Heading2"]),
        table(*coverage_rows(report), {7}),
    ]
    if report["two_step"]:
        story += [
            Paragraph(_("Supply and demand (2SFCA)"), styles["Heading2"]),
            table(*two_step_rows(report), set()),
        ]
    story += [
        Paragraph(_("Where the homes come from"), styles["Heading2"]),
        table(*homes_rows(report), set()),
    ]
    header, rows = gap_rows(report)
    story += [
        Paragraph(_("Largest gaps"), styles["Heading2"]),
        table(header, rows[:30], {5}),
    ]
    if len(rows) > 30:
        story.append(
            Paragraph(
                _("…and %(n)s more in the Excel export.") % {"n": len(rows) - 30}, styles["Normal"]
            )
        )
    doc.build(story)
    return out.getvalue()
