"""The rule numbers of meals (``linli.core.parameters``): the price of a meal and the subsidy
per meal by age band and by hardship status, in yuan.

The defaults follow the shape of the meal-assistance subsidies Shanghai's districts publish
under 《上海市老年助餐服务提升行动方案（2023—2025年）》: a subsidy per meal that grows with age
(60–69, 70–79, 80–89, 90 and over) and a supplement for elders on the minimum living allowance
(低保), in low-income families (低收入) or in special hardship (特困). The amounts differ from
district to district and year to year; the administrator records the district's own amounts
with the date they apply from.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

SOURCE = _(
    "Shanghai district meal-assistance subsidies for the elderly under the Shanghai action "
    "plan for better meal services for the elderly (2023–2025); illustrative amounts, set your "
    "district's own"
)
YUAN = _("yuan a meal")

PRICE = "meals.price"
# (lowest age of the band, parameter key), oldest band first.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (90, "meals.subsidy_age_90"),
    (80, "meals.subsidy_age_80"),
    (70, "meals.subsidy_age_70"),
    (60, "meals.subsidy_age_60"),
)
# (tag kind code, parameter key): the highest supplement of the statuses a person has counts.
HARDSHIP: tuple[tuple[str, str], ...] = (
    ("special_hardship", "meals.subsidy_special_hardship"),
    ("minimum_living", "meals.subsidy_minimum_living"),
    ("low_income", "meals.subsidy_low_income"),
)


def _money(key: str, label, default: str) -> Parameter:  # noqa: ANN001 - a lazy string
    return Parameter(
        key=key,
        label=label,
        default=Decimal(default),
        source=SOURCE,
        unit=YUAN,
        minimum=Decimal(0),
        maximum=Decimal(200),
        decimal=True,
    )


declare(
    _money(PRICE, _("Price of a meal at a meal point"), "15.00"),
    _money("meals.subsidy_age_60", _("Meal subsidy, aged 60–69"), "1.00"),
    _money("meals.subsidy_age_70", _("Meal subsidy, aged 70–79"), "2.00"),
    _money("meals.subsidy_age_80", _("Meal subsidy, aged 80–89"), "3.00"),
    _money("meals.subsidy_age_90", _("Meal subsidy, aged 90 and over"), "5.00"),
    _money(
        "meals.subsidy_special_hardship", _("Meal subsidy supplement, special hardship"), "8.00"
    ),
    _money(
        "meals.subsidy_minimum_living",
        _("Meal subsidy supplement, minimum living allowance"),
        "4.00",
    ),
    _money("meals.subsidy_low_income", _("Meal subsidy supplement, low-income family"), "3.00"),
)
