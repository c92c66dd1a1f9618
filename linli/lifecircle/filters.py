"""The filter of the gaps list, one definition for the page and the API
(``linli.core.filters``). Gaps are computed by the analysis, not rows of a table, so the filter
narrows the analysis's rows itself."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from linli.core.filters import ListFilter
from linli.lifecircle import analysis
from linli.lifecircle.models import FacilityStandard


class GapFilter(ListFilter):
    """Gaps of one facility type (its key, e.g. ``kindergarten``) or one tier (minutes)."""

    type: str = ""
    tier: int | None = None

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, value: int | None) -> int | None:
        if value is not None and value not in FacilityStandard.Tier.values:
            raise ValueError("not a tier")
        return value

    def rows(self, result: analysis.Analysis) -> list[dict[str, Any]]:
        """The analysis's gaps this filter keeps (an unknown type keeps none)."""
        if self.type and self.type not in result.standards:
            return []
        found = analysis.gaps(result, self.type or None)
        if self.tier is not None:
            found = [row for row in found if row["tier"] == self.tier]
        return found
