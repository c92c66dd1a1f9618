from typing import Any

from django import template

from linli.core.pii import MASKERS, decrypt

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def masked(cipher: str, kind: str) -> str:
    """The masked form of an encrypted personal value; the full value needs the unmask view."""
    return MASKERS[kind](decrypt(cipher)) if cipher else ""
