"""The closed set of enterprise fields that a policy may test.

Policies are written by people who are not programmers, so a typo in a field name must be caught
when the file is loaded, not silently evaluated as "missing" on every enterprise. Every field a
policy can mention is therefore declared here with its type, its labels in both languages and its
unit. Monetary amounts are in units of 10,000 yuan (万元) unless the unit says otherwise, because
that is how Shanghai policy texts state thresholds.
"""

from __future__ import annotations

import datetime as dt
import enum
import numbers
import re
from dataclasses import dataclass

import numpy as np


class FieldType(enum.StrEnum):
    NUMBER = "number"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    STR = "str"
    TAGS = "tags"
    # The enterprise's key. It identifies a row but is not something a policy can test.
    KEY = "key"


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    zh: str
    en: str
    unit_zh: str = ""
    unit_en: str = ""
    # For STR fields with a fixed vocabulary; policies are checked against it at load.
    choices: tuple[str, ...] = ()
    # How each choice reads in explanations, (zh, en) in the order of `choices`: people see
    # "小型" / "small", never the stored value.
    choice_labels: tuple[tuple[str, str], ...] = ()
    # True for the GB/T 4754 industry code, the only field `industry_in` accepts.
    industry: bool = False
    # A share stored as a fraction (0.1636), shown as a percentage (16.4%).
    percent: bool = False

    def choice_label(self, value: str, lang: str) -> str:
        """A choice's label in `lang`; the value itself if the field has no labels."""
        if value in self.choices and len(self.choice_labels) == len(self.choices):
            zh, en = self.choice_labels[self.choices.index(value)]
            return zh if lang.startswith("zh") else en
        return value

    @property
    def numeric(self) -> bool:
        """Numeric fields are stored as float64 so that NaN can carry "missing"."""
        return self.type in (FieldType.NUMBER, FieldType.INT, FieldType.DATE)


@dataclass(frozen=True)
class Tag:
    name: str
    zh: str
    en: str


# The tag vocabulary is closed and short so that a tag set fits one int64 bitmask per enterprise.
TAGS: tuple[Tag, ...] = (
    Tag("high_tech", "高新技术企业", "high-tech enterprise"),
    Tag("specialised_sophisticated", "专精特新中小企业", "specialised and sophisticated SME"),
    Tag("little_giant", "专精特新“小巨人”", "'little giant' enterprise"),
    Tag("headquarters", "总部企业", "headquarters enterprise"),
    Tag("graduate_startup", "大学生创业企业", "graduate start-up"),
    Tag("small_micro", "小微企业", "small or micro enterprise"),
    Tag("foreign_invested", "外商投资企业", "foreign-invested enterprise"),
    Tag("tech_sme", "科技型中小企业", "technology-based SME"),
    Tag("listed", "上市企业", "listed company"),
    Tag("cultural_creative", "文化创意企业", "cultural and creative enterprise"),
    Tag("financial_institution", "持牌金融机构", "licensed financial institution"),
    Tag("professional_services", "专业服务机构", "professional services firm"),
    Tag("rd_centre", "外资研发中心", "foreign R&D centre"),
    Tag("veteran_startup", "退役军人创业企业", "veteran start-up"),
    Tag("green_building", "绿色建筑", "green building"),
    Tag("building_operator", "楼宇运营主体", "building operator"),
)
TAG_BITS: dict[str, int] = {tag.name: 1 << i for i, tag in enumerate(TAGS)}
TAG_BY_NAME: dict[str, Tag] = {tag.name: tag for tag in TAGS}

N, INT, B, D, S, T = (
    FieldType.NUMBER,
    FieldType.INT,
    FieldType.BOOL,
    FieldType.DATE,
    FieldType.STR,
    FieldType.TAGS,
)
WAN, WAN_EN = "万元", "×10k yuan"

_FIELD_LIST: tuple[Field, ...] = (
    Field("credit_code", FieldType.KEY, "统一社会信用代码", "Unified social credit code"),
    Field("industry_code", S, "行业代码", "Industry code (GB/T 4754)", industry=True),
    Field(
        "enterprise_scale",
        S,
        "企业规模",
        "Enterprise size",
        choices=("micro", "small", "medium", "large"),
        choice_labels=(
            ("微型", "micro"),
            ("小型", "small"),
            ("中型", "medium-sized"),
            ("大型", "large"),
        ),
    ),
    Field(
        "tax_credit_grade",
        S,
        "纳税信用等级",
        "Tax credit grade",
        choices=("A", "B", "M", "C", "D"),
        choice_labels=tuple((f"{g}级", f"grade {g}") for g in ("A", "B", "M", "C", "D")),
    ),
    Field(
        "listing_stage",
        S,
        "上市进程",
        "Listing stage",
        choices=("none", "counselling", "filed", "listed"),
        choice_labels=(
            ("未启动上市", "not preparing a listing"),
            ("上市辅导期", "in listing counselling"),
            ("已申报上市", "listing application filed"),
            ("已上市", "listed"),
        ),
    ),
    Field("registered_locally", B, "注册及税收户管在本区", "Registered and taxed in the district"),
    Field("registered_capital", N, "注册资本", "Registered capital", WAN, WAN_EN),
    Field("founded_on", D, "成立日期", "Date founded"),
    Field("headcount", INT, "员工人数", "Headcount", "人", "people"),
    Field("employees_insured", INT, "参保职工人数", "Insured employees", "人", "people"),
    Field("layoff_rate", N, "上年裁员率", "Layoff rate last year", percent=True),
    Field("revenue_last_year", N, "上年营业收入", "Revenue last year", WAN, WAN_EN),
    Field("revenue_growth", N, "营业收入增长率", "Revenue growth", percent=True),
    Field("tax_last_year", N, "上年区级税收贡献", "District tax last year", WAN, WAN_EN),
    Field("tax_prev_year", N, "前年区级税收贡献", "District tax the year before", WAN, WAN_EN),
    Field("rd_expense_last_year", N, "上年研发投入", "R&D spending last year", WAN, WAN_EN),
    Field("rd_ratio", N, "研发投入占比", "R&D share of revenue", percent=True),
    Field("patents_invention", INT, "有效发明专利数", "Granted invention patents", "件", "patents"),
    Field("talents_count", INT, "认定人才数", "Recognised talents", "人", "people"),
    Field("tags", T, "企业标签", "Enterprise tags"),
    Field("is_hq_recognised", B, "经认定的总部企业", "Recognised headquarters"),
    Field("building_tax_last_year", N, "所在楼宇上年税收", "Building tax last year", WAN, WAN_EN),
    Field("floor_area_m2", N, "租用面积", "Leased floor area", "平方米", "m²"),
    Field("rent_per_m2_day", N, "租金单价", "Rent per m² per day", "元/平方米/天", "yuan/m²/day"),
    Field("lease_end", D, "租约到期日", "Lease end date"),
    Field("founder_is_graduate", B, "创始人为高校毕业生", "Founder is a graduate"),
    Field("founder_graduated_on", D, "创始人毕业日期", "Founder's graduation date"),
    Field(
        "graduates_hired", INT, "上年招用高校毕业生", "Graduates hired last year", "人", "people"
    ),
    Field("loan_amount", N, "新增银行贷款", "New bank loans", WAN, WAN_EN),
    Field("loan_rate", N, "贷款年利率", "Loan interest rate", "%", "%"),
    Field("has_violation_record", B, "近三年有严重失信记录", "Serious violation in last 3 years"),
    Field("office_purchased", B, "自购办公用房", "Owns its office"),
)

FIELDS: dict[str, Field] = {f.name: f for f in _FIELD_LIST}
CONDITION_FIELDS: dict[str, Field] = {
    name: f for name, f in FIELDS.items() if f.type is not FieldType.KEY
}
# Fields a formula may use: anything that is a quantity.
FORMULA_FIELDS: dict[str, Field] = {
    name: f
    for name, f in FIELDS.items()
    if f.type in (FieldType.NUMBER, FieldType.INT, FieldType.BOOL)
}

EPOCH = dt.date(1970, 1, 1)
INDUSTRY_PREFIX = re.compile(r"^[A-T](\d{1,4})?$")


def date_to_days(value: dt.date) -> int:
    """Dates are held as days since 1970 so they compare as plain numbers in float64 columns."""
    return (value - EPOCH).days


def days_to_date(days: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"not a date: {value!r}")


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamping the day (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if month == 12:
        last = 31
    else:
        last = (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def tags_to_mask(tags: object) -> int:
    if isinstance(tags, str):
        raise ValueError("tags must be a list or set of tag names, not a string")
    mask = 0
    for tag in tags:  # type: ignore[attr-defined]
        try:
            mask |= TAG_BITS[tag]
        except KeyError:
            raise ValueError(f"unknown tag {tag!r}") from None
    return mask


class RecordError(ValueError):
    """An enterprise record that does not fit the declared fields."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def normalise_value(spec: Field, value: object) -> object:
    """One field's value in its canonical Python form; None means missing."""
    if value is None:
        return None
    kind = spec.type
    if kind in (FieldType.NUMBER, FieldType.INT):
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise RecordError(spec.name, f"expected a number, got {value!r}")
        number = float(value)
        if number != number:  # NaN is how columns spell "missing"
            return None
        if kind is FieldType.INT and number != int(number):
            raise RecordError(spec.name, f"expected a whole number, got {value!r}")
        return number
    if kind is FieldType.BOOL:
        if not isinstance(value, bool | np.bool_):
            raise RecordError(spec.name, f"expected true or false, got {value!r}")
        return bool(value)
    if kind is FieldType.DATE:
        try:
            return parse_date(value)
        except ValueError:
            raise RecordError(spec.name, f"expected a date (YYYY-MM-DD), got {value!r}") from None
    if kind is FieldType.TAGS:
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            raise RecordError(spec.name, "expected a list of tag names")
        unknown = [t for t in value if t not in TAG_BITS]  # type: ignore[attr-defined]
        if unknown:
            raise RecordError(spec.name, f"unknown tag {unknown[0]!r}")
        return frozenset(value)  # type: ignore[arg-type]
    if not isinstance(value, str):
        raise RecordError(spec.name, f"expected text, got {value!r}")
    if spec.choices and value not in spec.choices:
        raise RecordError(spec.name, f"{value!r} is not one of {', '.join(spec.choices)}")
    if spec.industry and not INDUSTRY_PREFIX.match(value):
        raise RecordError(spec.name, f"{value!r} is not a GB/T 4754 industry code")
    return value


def normalise_record(record: object) -> dict[str, object]:
    """Check an enterprise record against the closed field list; absent fields are missing."""
    if not isinstance(record, dict):
        raise RecordError("enterprise", "expected a mapping of field names to values")
    for name in record:
        if name not in FIELDS:
            raise RecordError(str(name), "unknown field")
    return {
        name: normalise_value(spec, record.get(name))
        for name, spec in FIELDS.items()
        if spec.type is not FieldType.KEY
    }
