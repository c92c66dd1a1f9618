"""Charging verbs: set up the case categories of charging reports."""

from __future__ import annotations

from django.db import transaction

from linli.cases.models import Category, CategoryField
from linli.core import audit
from linli.core.access import Access
from linli.governance.charging import categories, rules


def set_up_categories(*, actor: Access) -> list[Category]:
    """Create the charging categories the sub-district lacks, each asking for a photo of the
    scene; those it has are left as they are. Returns the ones created."""
    actor.require(rules.may_set_up(actor))
    subdistrict = actor.subdistrict
    assert subdistrict is not None  # noqa: S101 - a person acts in a sub-district
    with transaction.atomic():
        missing = categories.missing_specs()
        parent = Category.objects.filter(code=categories.INCIDENTS).first()
        made = []
        for spec in missing:
            category = Category.objects.create(
                subdistrict=subdistrict,
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                synonyms=spec.synonyms,
                description=spec.description,
                kind=Category.Kind.INCIDENT,
                parent=parent,
                allows_anonymous=True,
                public_display=True,
            )
            CategoryField.objects.create(
                subdistrict=subdistrict,
                category=category,
                key="photo",
                label="现场照片",
                type=CategoryField.Type.PHOTO,
                required=True,
            )
            made.append(category)
        if made:
            audit.record(
                actor, "charging.category.create", None, after={"codes": [c.code for c in made]}
            )
    return made
