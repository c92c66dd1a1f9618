"""The rectification notice (整改通知书) as a PDF.

Chinese text uses reportlab's built-in CID font STSong-Light: the PDF viewer supplies the
glyphs, so nothing is downloaded or embedded.
"""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.governance.rentals.checks import RULE_LABELS, describe
from linli.governance.rentals.models import RectificationNotice, Room
from linli.governance.rentals.services import address_of

CJK_FONT = "STSong-Light"


def notice_pdf(notice: RectificationNotice) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=11, leading=17, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, alignment=1)
    group_rental = notice.group_rental
    dwelling = group_rental.dwelling
    address = address_of(dwelling)
    rooms = {room.position: room for room in Room.objects.filter(inspection=notice.inspection)}
    subdistrict = group_rental.subdistrict.name

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    story = [
        para(_("Group-rental rectification notice"), title),
        para(_("No. %(number)s") % {"number": notice.number}),
        Spacer(1, 4 * mm),
        para(_("Dwelling: %(address)s") % {"address": address}),
        para(
            _("Inspected on %(date)s, the dwelling was found in breach of the rules on letting:")
            % {"date": date_format(notice.inspection.inspected_on, "DATE_FORMAT")}
        ),
    ]
    for n, breach in enumerate(notice.inspection.breaches, start=1):
        position = breach.get("room")
        room = rooms.get(position) if isinstance(position, int) else None
        where = (
            _("room %(position)s (%(kind)s)")
            % {"position": room.position, "kind": room.get_kind_display()}
            if room is not None
            else _("the whole dwelling")
        )
        story.append(
            para(
                f"{n}. {RULE_LABELS.get(str(breach.get('rule')), '')} — {where}: {describe(breach)}"
            )
        )
    story += [
        Spacer(1, 4 * mm),
        para(
            _(
                "Put the dwelling right by %(deadline)s (%(days)s working days): let each room "
                "as originally designed, to no more people than the rules allow, and let no "
                "kitchen, bathroom, balcony or storeroom for anyone to live in. After the "
                "deadline the departments will enforce jointly."
            )
            % {"deadline": notice.deadline.isoformat(), "days": notice.working_days}
        ),
        para(
            _(
                "Basis: Shanghai Measures on the Administration of Residential Lettings (2014), "
                "articles 9, 10 and 32."
            )
        ),
        Spacer(1, 8 * mm),
        para(subdistrict),
        para(date_format(notice.issued_on, "DATE_FORMAT")),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Rectification notice %(number)s") % {"number": notice.number},
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
    ).build(story)
    return buffer.getvalue()
