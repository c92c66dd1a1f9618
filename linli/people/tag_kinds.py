"""The tag kinds every sub-district starts with; more are added as data in the admin.

They are (re)created after every ``migrate``, as Django does for content types, so a database
emptied and migrated again (a test's flush, a restore into a fresh schema) has them too; kinds
already there are left as the admin edited them.
"""

from __future__ import annotations

from typing import Any

STARTING_KINDS = [
    # code, name, English name, sensitive, has_grade, from_age
    ("age_60", "60岁以上", "60+", False, False, 60),
    ("age_80", "80岁以上", "80+", False, False, 80),
    ("living_alone", "独居", "Living alone", False, False, None),
    ("disability", "残疾", "Disability", True, True, None),
    ("low_income", "低收入家庭", "Low-income family", True, False, None),
    ("minimum_living", "低保", "Minimum living allowance (dibao)", True, False, None),
    ("special_hardship", "特困", "Special hardship", True, False, None),
    ("veteran", "退役军人", "Veteran", False, False, None),
    ("unemployed", "登记失业", "Registered unemployed", False, False, None),
    ("care_grade", "老年照护等级", "Elderly care-needs grade", True, True, None),
    ("empty_nest", "空巢老人", "Empty-nest elderly", False, False, None),
]


def ensure_starting_kinds(apps: Any = None, using: str = "default", **_signal: Any) -> None:
    """Create the starting kinds that are missing (a ``post_migrate`` receiver)."""
    if apps is None:
        from django.apps import apps
    TagKind = apps.get_model("people", "TagKind")  # noqa: N806 - a model class
    for order, (code, name, name_en, sensitive, has_grade, from_age) in enumerate(STARTING_KINDS):
        TagKind.objects.using(using).get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "sensitive": sensitive,
                "has_grade": has_grade,
                "from_age": from_age,
                "order": order,
            },
        )
