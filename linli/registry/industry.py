"""The 20 sections (门类) of GB/T 4754-2017, by the letter an industry code starts with, and an
industry code as a reader wants it: its section's name with the code beside it."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SECTIONS: dict[str, str | Promise] = {
    "A": _("Agriculture, forestry, animal husbandry and fishery"),
    "B": _("Mining"),
    "C": _("Manufacturing"),
    "D": _("Electricity, heat, gas and water supply"),
    "E": _("Construction"),
    "F": _("Wholesale and retail trade"),
    "G": _("Transport, storage and postal services"),
    "H": _("Accommodation and catering"),
    "I": _("Information transmission, software and IT services"),
    "J": _("Finance"),
    "K": _("Real estate"),
    "L": _("Leasing and business services"),
    "M": _("Scientific research and technical services"),
    "N": _("Water conservancy, environment and public facilities management"),
    "O": _("Resident services, repair and other services"),
    "P": _("Education"),
    "Q": _("Health and social work"),
    "R": _("Culture, sports and entertainment"),
    "S": _("Public administration, social security and social organisations"),
    "T": _("International organisations"),
}


def section_name(letter: str) -> str:
    return str(SECTIONS.get(letter, _("Unknown industry")))


def industry_label(code: str) -> str:
    """``J6760`` → "Finance · J6760"; an empty code is a dash."""
    if not code:
        return "—"
    return f"{section_name(code[0])} · {code}"
