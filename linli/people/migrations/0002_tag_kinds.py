"""The tag kinds every sub-district starts with (more are added as data in the admin)."""

from django.db import migrations

KINDS = [
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


def add(apps, schema_editor):
    TagKind = apps.get_model("people", "TagKind")
    for order, (code, name, name_en, sensitive, has_grade, from_age) in enumerate(KINDS):
        TagKind.objects.update_or_create(
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


def remove(apps, schema_editor):
    apps.get_model("people", "TagKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
