"""A report as a PDF: the figures with their definitions, two charts, empty commentary slots,
and on every page the filters applied and the moment computed.

The charts are drawn with reportlab's own graphics (``reportlab.graphics.charts``): reportlab
already writes the PDFs, so the charts need no further dependency, no browser or Node process
for server-side ECharts, and come out as vector drawings in the same file. Chinese text uses
the built-in CID font of the rectification notice (``rentals.notice``): the PDF viewer supplies
the glyphs, so nothing is downloaded or embedded.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from linli.cockpit.report_content import (
    ReportContent,
    computed_text,
    filters_text,
    shown,
)
from linli.governance.rentals.notice import CJK_FONT

CHART_BLUE = "#2b6cb0"


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_pdf(content: ReportContent) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus.tables import TableStyle

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, alignment=1)
    heading = ParagraphStyle("heading", parent=body, fontSize=12.5, leading=18, spaceBefore=8)

    def para(text: object, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(_escape(text), style)

    page_width = A4[0] - 36 * mm
    story: list[Any] = [
        para(content.subdistrict, title),
        para(content.title, title),
        Spacer(1, 3 * mm),
        para(_("Filters: %(filters)s") % {"filters": filters_text(content)}),
        para(_("Computed at %(moment)s") % {"moment": computed_text(content)}),
        para(_("Figures"), heading),
    ]
    rows: list[list[Any]] = [
        [para(_("Indicator"), small), para(_("Value"), small), para(_("Definition"), small)]
    ]
    for line in content.lines:
        value = shown(line.indicator, line.figure.value)
        if line.indicator.is_rate and line.figure.value is not None and line.figure.base:
            value += " " + _("of %(n)s") % {"n": f"{line.figure.base:,}"}
        if not line.filtered:
            value += " *"
        explained = f"{line.indicator.definition} {_('Formula:')} {line.indicator.formula}"
        rows.append(
            [
                para(f"{line.indicator.group} · {line.indicator.label}", small),
                para(value, body),
                para(explained, small),
            ]
        )
    table = Table(rows, colWidths=[42 * mm, 30 * mm, page_width - 72 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story += _charts(content, para, heading, page_width)
    if not content.trend_filtered or any(not line.filtered for line in content.lines):
        story.append(
            para(
                _("* Not broken down by grid: the figure is the whole sub-district's."),
                small,
            )
        )
    story.append(para(_("Commentary"), heading))
    for label in (_("Overall"), _("Problems and causes"), _("Measures next month")):
        slot = Table(
            [[para(label, small)], [""]], colWidths=[page_width], rowHeights=[None, 32 * mm]
        )
        slot.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999"))]))
        story += [KeepTogether([slot]), Spacer(1, 3 * mm)]

    def stamp(canvas: Any, doc: Any) -> None:
        """The header and footer of every page: what the figures are, and when."""
        canvas.saveState()
        canvas.setFont(CJK_FONT, 7.5)
        canvas.drawString(18 * mm, A4[1] - 11 * mm, f"{content.subdistrict} · {content.title}")
        canvas.drawString(
            18 * mm, 12 * mm, _("Filters: %(filters)s") % {"filters": filters_text(content)}
        )
        canvas.drawString(
            18 * mm, 8 * mm, _("Computed at %(moment)s") % {"moment": computed_text(content)}
        )
        canvas.drawRightString(A4[0] - 18 * mm, 8 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{content.subdistrict} {content.title}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
    ).build(story, onFirstPage=stamp, onLaterPages=stamp)
    return buffer.getvalue()


def _charts(content: ReportContent, para: Any, heading: Any, width: float) -> list[Any]:
    """A bar chart of the first breakdown (intake by channel), a line of the trend."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether

    drawn: list[Any] = []
    broken = next((line for line in content.lines if line.figure.parts), None)
    if broken is not None:
        parts = broken.figure.parts[:12]
        drawing = Drawing(width, 170)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 40, 35, width - 60, 120
        chart.data = [[p.value for p in parts]]
        chart.bars[0].fillColor = colors.HexColor(CHART_BLUE)
        chart.categoryAxis.categoryNames = [p.label[:14] for p in parts]
        chart.categoryAxis.labels.fontName = CJK_FONT
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.labels.fontSize = 7
        chart.barLabels.fontSize = 7
        chart.barLabelFormat = "%d"
        chart.barLabels.nudge = 6
        drawing.add(chart)
        name = broken.indicator.breakdown or broken.indicator.label
        drawn.append(KeepTogether([para(f"{broken.indicator.label} · {name}", heading), drawing]))
    if content.trend is not None:
        item, points = content.trend
        drawing = Drawing(width, 160)
        chart = HorizontalLineChart()
        chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, 115
        values = [
            float(v) * (100 if item.is_rate else 1) if v is not None else None for _m, v in points
        ]
        chart.data = [[v if v is not None else 0 for v in values]]
        chart.lines[0].strokeColor = colors.HexColor(CHART_BLUE)
        chart.lines[0].strokeWidth = 1.5
        chart.joinedLines = 1
        chart.categoryAxis.categoryNames = [str(m) for m, _v in points]
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.labels.fontSize = 7
        chart.lineLabelFormat = "%.1f" if item.is_rate else "%d"
        chart.lineLabels.fontSize = 7
        drawing.add(chart)
        caption = _("%(indicator)s, the last %(n)s months") % {
            "indicator": item.label,
            "n": len(points),
        }
        if not content.trend_filtered:
            caption += " *"
        drawn.append(KeepTogether([para(caption, heading), drawing]))
    return drawn
