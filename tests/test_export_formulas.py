"""No download runs a formula on the reader's machine (CSV/formula injection, DESIGN §5.14).

A name such as ``=HYPERLINK("http://x","y")`` is fed to the workbooks that once bypassed the safe
writer (case metrics, life-circle report) and to the writer every other export uses, and no cell
comes back as a formula. Every other export is kept on that writer by a rule over the source tree,
``test_only_the_safe_writer_makes_spreadsheets`` (its docstring states the rule).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from linli.cases.metrics import OrganisationMetrics, export_xlsx
from linli.core import spreadsheets
from linli.core.roles import Role
from linli.registry.models import Facility, Quarter
from tests.lifecircle.helpers import build_street

ROOT = Path(__file__).resolve().parent.parent
HYPERLINK = '=HYPERLINK("http://x","y")'
NAMES = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\tTab Ltd", "\rReturn Ltd"]
# XML reads a carriage return back as a line feed; the cell is text either way.
READ_BACK = {name.replace("\r", "\n") for name in NAMES}


def formula_cells(content: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would run: stored as a formula, or a text
    cell that is not one (a leading ``=`` in a number or date cell cannot happen)."""
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{c.coordinate}: {c.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f" or (isinstance(c.value, str) and c.data_type != "s")
    ]


def text_cells(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.data_type == "s"
    }


def test_the_case_metrics_workbook_writes_organisation_names_as_text(settings) -> None:
    rows = [
        OrganisationMetrics(
            organisation_id=n,
            organisation=name,
            dispatched=4,
            answered=2,
            answered_in_time=1,
            closed=2,
            closed_on_time=2,
            callbacks=1,
            satisfied=1,
        )
        for n, name in enumerate(NAMES, start=1)
    ]
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    content = export_xlsx(rows, start, start + dt.timedelta(days=30))
    assert formula_cells(content) == []
    assert text_cells(content) >= READ_BACK
    sheet = load_workbook(io.BytesIO(content)).active
    first = [c for c in sheet[3]]
    assert first[0].value == HYPERLINK
    assert first[1].value == 0.5 and first[1].number_format == "0.0%"  # 1 of 2 answers in time
    assert first[-3].value == 4 and first[-3].data_type == "n"  # numbers stay numbers


def test_the_life_circle_report_writes_facility_and_quarter_names_as_text(
    subdistrict, make_user, client_for
) -> None:
    street = build_street(subdistrict)
    with scopes_disabled():
        Facility.objects.filter(pk=street["kindergarten"].pk).update(name=HYPERLINK)
        Quarter.objects.filter(pk=street["quarters"][0].pk).update(name="@SUM(A1)")
    admin = client_for(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    answer = admin.get(reverse("lifecircle:report_xlsx"))
    assert answer.status_code == 200
    assert formula_cells(answer.content) == []
    assert text_cells(answer.content) >= {HYPERLINK, "@SUM(A1)"}
    coverage = load_workbook(io.BytesIO(answer.content))["Coverage"]
    shares = [row[7] for row in coverage.iter_rows(min_row=5) if row[7].value is not None]
    assert shares and {c.number_format for c in shares} == {"0.0%"}


def test_the_shared_writer_keeps_every_formula_start_as_text() -> None:
    table = [["name", "count"], *[[name, 3] for name in NAMES]]
    content = spreadsheets.rows_to_xlsx("sheet", table)
    assert formula_cells(content) == []
    assert text_cells(content) >= READ_BACK
    text = spreadsheets.rows_to_csv(table).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert cells == ["'" + name for name in NAMES]  # the spreadsheets' own "this is text" mark
    assert all(not c.startswith(spreadsheets.FORMULA_STARTS) for c in cells)
    assert [spreadsheets.csv_text(c) for c in cells] == NAMES


SHEETISH = re.compile(r"sheet$|^ws$|^active$", re.I)
READ_OR_STYLE = ("openpyxl.styles", "openpyxl.utils")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def violations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{line}: import {a.name}" for a in node.names if a.name == "openpyxl"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            module = node.module or ""
            reading = module == "openpyxl" and {a.name for a in node.names} == {"load_workbook"}
            if not reading and not module.startswith(READ_OR_STYLE):
                found.append(f"{line}: from {module} import …")
        elif isinstance(node, ast.Attribute):
            if _name(node.value) == "csv" and node.attr in ("writer", "DictWriter"):
                found.append(f"{line}: csv.{node.attr}")
            if node.attr == "data_type" and isinstance(node.ctx, ast.Store):
                found.append(f"{line}: sets a cell's data_type")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _name(node.func.value)
            if node.func.attr == "append" and SHEETISH.search(receiver):
                found.append(f"{line}: {receiver}.append(…)")
            if node.func.attr == "cell" and any(k.arg == "value" for k in node.keywords):
                found.append(f"{line}: {receiver}.cell(value=…)")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and SHEETISH.search(_name(node.value))
        ):
            found.append(f"{line}: {_name(node.value)}[…] = …")
    return found


def test_only_the_safe_writer_makes_spreadsheets() -> None:
    """The rule: only ``linli/core/spreadsheets.py`` makes spreadsheet content. Elsewhere in
    ``linli/`` a module may read workbooks (``openpyxl.load_workbook``) and use
    ``openpyxl.styles`` and ``openpyxl.utils``, but never imports openpyxl's ``Workbook`` or
    cells, never writes CSV with ``csv.writer``/``csv.DictWriter``, never appends to a worksheet
    (``sheet.append``, ``ws.append``), never sets a cell (``.cell(value=…)``, ``sheet["A1"] = …``,
    ``.data_type = …``). Exports call ``spreadsheets.rows_to_xlsx``, ``rows_to_csv``, or
    ``new_workbook`` with ``spreadsheets.cell`` and ``spreadsheets.append``."""
    writer = ROOT / "linli" / "core" / "spreadsheets.py"
    broken = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "linli").rglob("*.py"))
        if path != writer and "/migrations/" not in path.as_posix()
        if (found := violations(path.read_text(encoding="utf-8")))
    }
    assert broken == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "from openpyxl import Workbook",
        "import openpyxl",
        "from openpyxl.cell import WriteOnlyCell",
        "sheet.append([name])",
        "book.active.append([name])",
        "ws.cell(row=1, column=1, value=name)",
        "sheet['A1'] = name",
        "sheet.cell(row=1, column=1).data_type = 's'",
        "w = csv.writer(out)",
    ],
)
def test_the_rule_catches_a_direct_write(snippet: str) -> None:
    assert violations(snippet) != []
    assert violations("from openpyxl import load_workbook\nrows.append(1)") == []
