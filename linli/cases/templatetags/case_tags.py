from typing import Any

from django import template

from linli.cases.forms import category_label as _category_label
from linli.cases.presenting import STATE_TONES

register = template.Library()


@register.filter
def state_tone(state: str) -> str:
    return STATE_TONES.get(state, "open")


@register.filter
def category_label(category: Any) -> str:
    return _category_label(category)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def satisfaction_label(value: str) -> str:
    from linli.cases.models import Satisfaction

    return str(Satisfaction(value).label) if value in Satisfaction.values else value
