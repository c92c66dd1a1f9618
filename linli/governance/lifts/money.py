"""Who pays what: the subsidy per lift and each dwelling's share of the rest, by floor.

Shares follow per-floor coefficients (parameters ``lifts.share_floor_N``; the ground floor
usually pays nothing, the top floor most). Amounts are ``Decimal`` yuan, rounded to the fen
by the largest remainder, so the shares always add up to the amount to share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal

FEN = Decimal("0.01")


def coefficient(coefficients: Mapping[int, Decimal], floor: int) -> Decimal:
    """The coefficient of ``floor``: a floor above the last declared one pays as the last,
    one below the ground floor as the ground floor."""
    floors = sorted(coefficients)
    return coefficients[min(max(floor, floors[0]), floors[-1])]


def owners_part(cost: Decimal, subsidy: Decimal) -> Decimal:
    return max(Decimal(0), cost - subsidy)


def shares(
    amount: Decimal, floors: Sequence[tuple[int, int]], coefficients: Mapping[int, Decimal]
) -> dict[int, Decimal]:
    """Each dwelling's share of ``amount``: ``floors`` are (dwelling id, floor)."""
    weights = {key: coefficient(coefficients, floor) for key, floor in floors}
    total = sum(weights.values(), Decimal(0))
    if total == 0 or amount <= 0:
        return dict.fromkeys(weights, Decimal(0))
    exact = {key: amount * w / total for key, w in weights.items()}
    rounded = {key: v.quantize(FEN, rounding=ROUND_FLOOR) for key, v in exact.items()}
    left = int((amount.quantize(FEN) - sum(rounded.values(), Decimal(0))) / FEN)
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - rounded[k]), k))
    for key in by_remainder[:left]:
        rounded[key] += FEN
    return rounded
