"""The relocation watch list: enterprises with any warning sign, largest risk × tax first, for
the page, the API and the Excel export alike."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import Assessment, Scored, level_label, score_all
from linli.enterprise.retention.filters import EnterpriseFilter
from linli.registry.models import Enterprise


class Ranked(Sequence[Assessment]):
    """The watch list in order. Every enterprise is scored, but the enterprises themselves are
    loaded only for the rows read: a page of the list, the API's first rows, the export's
    chunks."""

    CHUNK = 500

    def __init__(self, scored: list[Scored], enterprises: QuerySet[Enterprise]) -> None:
        self._scored = scored
        self._enterprises = enterprises

    def __len__(self) -> int:
        return len(self._scored)

    def _load(self, rows: list[Scored]) -> list[Assessment]:
        found = self._enterprises.in_bulk([r.pk for r in rows])
        return [Assessment(found[r.pk], r.score, r.tax) for r in rows]

    @overload
    def __getitem__(self, index: int) -> Assessment: ...

    @overload
    def __getitem__(self, index: slice) -> list[Assessment]: ...

    def __getitem__(self, index: int | slice) -> Assessment | list[Assessment]:
        if isinstance(index, slice):
            return self._load(self._scored[index])
        return self._load([self._scored[index]])[0]

    def __iter__(self) -> Iterator[Assessment]:
        for start in range(0, len(self._scored), self.CHUNK):
            yield from self[start : start + self.CHUNK]


def watchlist(access: Access, filters: EnterpriseFilter | None = None) -> Ranked:
    """The enterprises whose risk ``access`` reads, with a score above zero, highest first."""
    enterprises = rules.among(rules.risk_audience(access))
    if filters is not None:
        enterprises = filters.apply(enterprises)
    enterprises = enterprises.exclude(status=Enterprise.Status.CLOSED)
    scored = [s for s in score_all(enterprises) if s.score.total > 0]
    scored.sort(key=lambda s: (s.priority, s.score.total), reverse=True)
    return Ranked(scored, enterprises.select_related("building", "butler"))


def watchlist_xlsx(rows: Sequence[Assessment]) -> bytes:
    """One row per enterprise; factors as "name (points): evidence" lines. No personal data."""
    header = [
        _("Rank"),
        _("Enterprise"),
        _("Unified Social Credit Code"),
        _("Building"),
        _("Butler"),
        _("Risk score"),
        _("Latest tax (10k yuan)"),
        _("Risk × tax"),
        _("Contributing factors"),
        _("Risk"),
        "enterprise_id",
    ]
    table: list[list[Any]] = [header]
    for rank, a in enumerate(rows, start=1):
        e = a.enterprise
        table.append(
            [
                rank,
                e.name,
                e.credit_code,
                str(e.building or ""),
                str(e.butler or ""),
                a.score.total,
                a.tax,
                round(a.priority, 2),
                "\n".join(f"{f['name']} ({f['points']}): {f['evidence']}" for f in a.explained),
                level_label(a.level),
                e.pk,
            ]
        )
    return rows_to_xlsx(_("Watch list")[:31], table)
