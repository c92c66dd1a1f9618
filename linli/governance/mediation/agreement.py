"""The mediation agreement (人民调解协议书) as a PDF: the parties, the dispute, the terms and a
signature line for each party and the mediator. Chinese text uses the Adobe CID font
STSong-Light that every PDF reader has, so no font file is shipped or downloaded. Phones are
left out: the agreement names the parties, it does not need their numbers."""

from __future__ import annotations

import io
import textwrap

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from linli.governance.mediation.models import MediationCase

FONT = "STSong-Light"
# CJK text is about twice as wide per character as Latin: wrap by width, in characters.
LINE_CHARS = 36


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def agreement_pdf(case: MediationCase, *, compress: bool = True) -> bytes:
    """``compress=False`` writes the text streams plain (the tests read them back)."""
    font = _font()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0, invariant=1)
    pdf.setTitle(f"{_('Mediation agreement')} {case.number}")
    width, height = A4
    y = height - 25 * mm

    def line(text: str, size: int = 11, x: float = 25 * mm, gap: float = 7 * mm) -> None:
        nonlocal y
        if y < 25 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)
        y -= gap

    def paragraph(text: str) -> None:
        for raw in text.splitlines() or [""]:
            for part in textwrap.wrap(raw, LINE_CHARS) or [""]:
                line(part)

    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y, _("People's mediation agreement"))
    y -= 10 * mm
    line(_("No. %(number)s") % {"number": case.number})
    line(f"{_('Quarter')}: {case.quarter}")
    parties = list(case.parties.order_by("side", "pk"))
    for party in parties:
        line(f"{party.get_side_display()}: {party.name}")
    line(f"{_('Kind of dispute')}: {case.get_kind_display()}")
    y -= 3 * mm
    line(_("The dispute"), 13)
    paragraph(case.summary)
    y -= 3 * mm
    line(_("Terms agreed"), 13)
    paragraph(case.terms)
    y -= 3 * mm
    paragraph(
        _(
            "This agreement is binding once signed by the parties. Either party may apply to "
            "the people's court for judicial confirmation within 30 days."
        )
    )
    y -= 8 * mm
    for party in parties:
        line(
            f"{party.get_side_display()} {party.name} {_('(signature)')}: ____________________"
            f"    {_('Date')}: ____________",
            gap=12 * mm,
        )
    line(f"{_('Mediator')}: ____________________    {_('Date')}: ____________")
    pdf.save()
    return buffer.getvalue()
