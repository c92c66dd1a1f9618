"""The case categories of e-bike charging reports: private-wire charging (飞线充电) and
batteries taken indoors to charge (电池入户). The Shanghai regulations on non-motor vehicles
(《上海市非机动车安全管理条例》, 2020, art. 31) forbid charging in stairwells, passages and
exits and over private wires; such a report needs a photo of the scene.

A sub-district that already files these reports under a category of its own (one that
mentions 飞线充电 among its names, like the demo's 电动自行车违规充电) keeps it: its cases
count as charging reports too."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from linli.cases.models import Category

PRIVATE_WIRE = "EBIKE-WIRE"
INDOORS = "EBIKE-INDOOR"
CODES = (PRIVATE_WIRE, INDOORS)
KEYWORD = "飞线充电"
# The incidents' parent category, when the sub-district has one.
INCIDENTS = "INC"


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    synonyms: str
    description: str


SPECS = (
    CategorySpec(
        PRIVATE_WIRE,
        "飞线充电",
        "E-bike charging over a private wire",
        "私拉电线, 飞线, 电瓶车充电, 电动车充电",
        "从住宅窗口或楼道私拉电线给电动自行车充电（《上海市非机动车安全管理条例》第三十一条禁止）。",
    ),
    CategorySpec(
        INDOORS,
        "电动自行车电池入户充电",
        "E-bike battery charged indoors or in a stairwell",
        "电池入户, 楼道充电, 室内充电, 电瓶上楼",
        "将电动自行车或其蓄电池带入住宅、楼道、疏散通道充电（《上海市非机动车安全管理条例》第三十一条禁止）。",
    ),
)


def report_categories() -> QuerySet[Category]:
    """The categories whose cases are charging reports, in the active sub-district."""
    return Category.objects.filter(Q(code__in=CODES) | Q(synonyms__contains=KEYWORD))


def missing_specs() -> list[CategorySpec]:
    present = set(Category.objects.filter(code__in=CODES).values_list("code", flat=True))
    return [spec for spec in SPECS if spec.code not in present]
