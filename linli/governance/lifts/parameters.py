"""The rule numbers of lift installation (convention 15).

Consent ratios are whole-number fractions (numerator, denominator), so 2/3 stays exactly 2/3:
a decimal 0.6667 would refuse a unit where 6 of 9 owners take part.
"""

from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

CIVIL_CODE = _("Civil Code of the PRC, art. 278 (2021)")
SHANGHAI_LIFTS = _(
    "Shanghai Municipal People's Government Office, Opinions on further improving the "
    "installation of lifts in existing multi-storey housing (沪府办规〔2019〕13号)"
)
TSG_08 = _("Special equipment safety technical code TSG 08-2017, 3.1: use registration")
MAX_FLOOR = 9


def _floor_text(floor: int) -> str:
    return _("Cost-share coefficient of floor %(floor)s") % {"floor": floor}


# Translated when shown, in the reader's language.
_floor_label = lazy(_floor_text, str)

declare(
    Parameter(
        key="lifts.participation_numerator",
        label=_("Owners taking part: at least (numerator)"),
        default=2,
        source=CIVIL_CODE,
        minimum=1,
        maximum=99,
    ),
    Parameter(
        key="lifts.participation_denominator",
        label=_("Owners taking part: at least (denominator)"),
        default=3,
        source=CIVIL_CODE,
        minimum=1,
        maximum=99,
    ),
    Parameter(
        key="lifts.agreement_numerator",
        label=_("Owners taking part who agree: at least (numerator)"),
        default=3,
        source=CIVIL_CODE,
        minimum=1,
        maximum=99,
    ),
    Parameter(
        key="lifts.agreement_denominator",
        label=_("Owners taking part who agree: at least (denominator)"),
        default=4,
        source=CIVIL_CODE,
        minimum=1,
        maximum=99,
    ),
    Parameter(
        key="lifts.filing_cost_threshold",
        label=_("Lift works under this cost are filed instead of permitted"),
        default=1_000_000,
        source=_(
            "Measures for construction permits of building works (住建部令第18号), art. 2: "
            "works under 1,000,000 yuan need no construction permit"
        ),
        unit=_("yuan"),
        minimum=0,
    ),
    Parameter(
        key="lifts.registration_days",
        label=_("Lift use registration due within days of entering service"),
        default=30,
        source=TSG_08,
        unit=_("days"),
        minimum=1,
        maximum=365,
    ),
    Parameter(
        key="lifts.subsidy_per_lift",
        label=_("Subsidy per lift"),
        default=280_000,
        source=SHANGHAI_LIFTS,
        unit=_("yuan"),
        minimum=0,
    ),
    *(
        Parameter(
            key=f"lifts.share_floor_{floor}",
            label=_floor_label(floor),
            default=Decimal(default),
            source=_("Common practice of Shanghai lift projects; owners may agree other shares"),
            minimum=0,
            maximum=10,
            decimal=True,
        )
        for floor, default in zip(
            range(1, MAX_FLOOR + 1),
            ("0", "0.4", "0.8", "1.0", "1.2", "1.4", "1.6", "1.8", "2.0"),
            strict=True,
        )
    ),
)
