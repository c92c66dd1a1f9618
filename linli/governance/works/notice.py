"""The site notice (装修公示) for the door of the works, as a PDF with the QR code of the
registration's public page.

Chinese text uses reportlab's built-in CID font STSong-Light, as the group-rental notice does:
the PDF viewer supplies the glyphs. The QR code is drawn as squares from ``linli.core.qr`` and
is also a link, so the notice opened on a screen leads to the same page. The notice names no
person and no phone number: it hangs in a public stairwell.
"""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.core.qr import qr_modules
from linli.governance.works import classification
from linli.governance.works.models import Works

CJK_FONT = "STSong-Light"
QR_SIZE_MM = 45


def notice_pdf(works: Works, public_url: str) -> bytes:
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=12, leading=19, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=1)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=13)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    modules = qr_modules(public_url)
    side = QR_SIZE_MM * mm
    step = side / len(modules)
    drawing = Drawing(side, side)
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                drawing.add(
                    Rect(
                        column * step,
                        side - (row + 1) * step,
                        step,
                        step,
                        fillColor="#111111",
                        strokeColor=None,
                    )
                )

    class LinkedCode(Flowable):
        """The QR drawing, clickable to its URL."""

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return side, side

        def draw(self) -> None:
            drawing.drawOn(self.canv, 0, 0)
            self.canv.linkURL(public_url, (0, 0, side, side), relative=1)

    scopes = "、".join(classification.label(code) for code in works.scopes)
    story = [
        para(_("Notice of renovation works"), title),
        para(_("Registration No. %(number)s") % {"number": works.number}),
        Spacer(1, 4 * mm),
        para(_("Address: %(address)s") % {"address": works.address}),
        para(_("Works: %(scopes)s") % {"scopes": scopes}),
        para(
            _("From %(start)s to %(end)s")
            % {"start": works.starts_on.isoformat(), "end": works.ends_on.isoformat()}
        ),
    ]
    if works.contractor:
        story.append(para(_("Contractor: %(name)s") % {"name": works.contractor}))
    if works.needs_inspection:
        story.append(para(_("These works are inspected on site by the sub-district.")))
    story += [
        Spacer(1, 4 * mm),
        para(
            _(
                "The works are registered with the sub-district. Noisy work only in the "
                "permitted hours; keep the stairs clear; renovation waste is bagged and taken "
                "away by the booked removal. Scan the code to see the registration."
            )
        ),
        Spacer(1, 6 * mm),
        LinkedCode(),
        Spacer(1, 2 * mm),
        para(public_url, small),
        Spacer(1, 8 * mm),
        para(works.subdistrict.name),
        para(date_format(works.notice_issued_on or works.registered_on, "DATE_FORMAT")),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Notice of renovation works %(number)s") % {"number": works.number},
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
    ).build(story)
    return buffer.getvalue()
