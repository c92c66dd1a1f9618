"""The demo enterprises as an Excel workbook in the import column format, for the import
benchmark and for trying the importer by hand.

The columns are the registry export's (``exports.rows``: the editable fields of the enterprise
kind, relations by building code and butler username, tags ";"-separated) plus
``contact_phone``, which the importer accepts but a plain export leaves out because it is
encrypted at rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django_scopes import scope

from linli.core.models import Subdistrict
from linli.registry import exports
from linli.registry.kinds import KINDS
from linli.registry.models import Enterprise

PHONE_COLUMN = "contact_phone"


def enterprise_import_rows(enterprises: Iterable[Enterprise]) -> Iterable[list[Any]]:
    kind = KINDS["enterprise"]
    enterprises = list(enterprises)
    table = iter(exports.rows(kind, enterprises))
    yield [*next(table), PHONE_COLUMN]
    for enterprise, row in zip(enterprises, table, strict=True):
        yield [*row, enterprise.contact_phone]


def enterprises_workbook(subdistrict: Subdistrict) -> bytes:
    with scope(subdistrict=subdistrict):
        enterprises = (
            Enterprise.objects.filter(subdistrict=subdistrict)
            .select_related("building", "butler")
            .order_by("credit_code")
        )
        return exports.rows_to_xlsx(KINDS["enterprise"].key, enterprise_import_rows(enterprises))


def write_enterprises_workbook(path: str | Path, subdistrict: Subdistrict) -> Path:
    """Write the sub-district's enterprises to an .xlsx at ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(enterprises_workbook(subdistrict))
    return path
