from decimal import Decimal
from typing import Any

from django import template

from linli.core import display
from linli.core.pii import MASKERS, decrypt

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def number(value: Any, decimals: int = 0) -> Any:
    """A figure grouped by thousands as the reader's language writes it (12,345), with
    ``decimals`` places; anything not a number (None, "") passes through for ``default``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return display.number(value, decimals)


@register.filter
def percent(value: Any, decimals: int = 1) -> Any:
    """A share (0.8765) as a percentage (87.7%), in the reader's number format; ``None`` (no
    base to take a share of) passes through for ``default``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return f"{display.number(float(value) * 100, decimals)}%"


@register.simple_tag
def masked(cipher: str, kind: str) -> str:
    """The masked form of an encrypted personal value; the full value needs the unmask view."""
    return MASKERS[kind](decrypt(cipher)) if cipher else ""
