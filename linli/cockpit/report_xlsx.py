"""A report as a workbook: one sheet of figures, one per breakdown and one of the trend, each
headed by what it is, where, with which filters and when it was computed (``about_rows``)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.cockpit.report_content import ReportContent
from linli.core.spreadsheets import about_rows, add_sheet, new_workbook, workbook_bytes

#: Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_NAME_LIMIT = 31
REFUSED_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(wanted: str, taken: set[str]) -> str:
    base = REFUSED_IN_SHEET_NAMES.sub(" ", wanted).strip()[:SHEET_NAME_LIMIT] or "-"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _value(is_rate: bool, value: float | int | None) -> Any:
    """A rate in percent, one decimal; numbers stay numbers (a decimal amount too, which the
    workbook writer would keep as text) for the reader's own sums."""
    if value is None:
        return None
    if is_rate:
        return round(float(value) * 100, 1)
    return value if isinstance(value, int) else float(value)


def report_xlsx(content: ReportContent) -> bytes:
    def about(title: str) -> list[list[Any]]:
        rows = about_rows(title, content.subdistrict, content.filters, content.computed_at)
        return [*rows, []]

    workbook = new_workbook()
    taken: set[str] = set()
    figures: list[list[Any]] = [
        *about(content.title),
        [
            _("Group"),
            _("Indicator"),
            _("Value"),
            _("Unit"),
            _("Of"),
            _("Filtered by grid"),
            _("Definition"),
            _("Formula"),
            _("Key"),
        ],
    ]
    for line in content.lines:
        item = line.indicator
        figures.append(
            [
                str(item.group),
                str(item.label),
                _value(item.is_rate, line.figure.value),
                "%" if item.is_rate else _("count"),
                line.figure.base,
                _("yes") if line.filtered else _("no: the whole sub-district"),
                str(item.definition),
                str(item.formula),
                item.key,
            ]
        )
    add_sheet(workbook, _sheet_name(_("Figures"), taken), figures)
    for line in content.lines:
        if not line.figure.parts:
            continue
        title = f"{line.indicator.label} · {line.indicator.breakdown or _('Breakdown')}"
        table = [*about(title), [pgettext("breakdown", "Part"), _("Value")]]
        table += [[part.label, part.value] for part in line.figure.parts]
        add_sheet(workbook, _sheet_name(str(line.indicator.label), taken), table)
    if content.trend is not None:
        item, points = content.trend
        title = _("%(indicator)s, the last %(n)s months") % {
            "indicator": item.label,
            "n": len(points),
        }
        table = [*about(title), [_("Month"), str(item.label)]]
        table += [[str(month), _value(item.is_rate, value)] for month, value in points]
        add_sheet(workbook, _sheet_name(_("Trend"), taken), table)
    return workbook_bytes(workbook)
