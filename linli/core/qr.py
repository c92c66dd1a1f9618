"""QR codes for tickets, room check-in, event check-in and site notices, drawn with segno."""

from __future__ import annotations

import segno


def qr_svg(text: str, *, scale: int = 6) -> str:
    """An inline SVG element (no XML declaration) that encodes ``text``.

    Inline, so a page needs no extra request and prints as it is shown. Error correction M
    survives a phone camera at an angle on a kiosk screen.
    """
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(scale=scale, border=2, dark="#111", light="#fff")


def qr_data_uri(text: str, *, scale: int = 6) -> str:
    """The same code as a ``data:image/svg+xml`` URI, for ``<img src>`` and e-mail bodies."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_data_uri(scale=scale, border=2)


def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The same code as rows of modules (True: dark), without the quiet zone, for drawing it
    where SVG does not go (a PDF drawn with reportlab)."""
    code = segno.make(text, error="m", micro=False)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)
