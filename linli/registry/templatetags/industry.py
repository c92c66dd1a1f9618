"""``{{ code|industry }}``: an industry code with its GB/T 4754 section's name."""

from __future__ import annotations

from django import template

from linli.registry.industry import industry_label

register = template.Library()
register.filter("industry", industry_label)
