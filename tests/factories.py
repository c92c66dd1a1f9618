"""factory_boy factories for the models tests need; valid codes are computed, not hard-coded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django_scopes import scopes_disabled

from linli.core.models import Membership, Organisation, Subdistrict, User
from linli.registry.credit_code import check_character
from linli.registry.models import Building, Enterprise, Facility, Grid, Quarter


def credit_code(n: int) -> str:
    body = f"91310106{n:09d}"[:17]
    return body + check_character(body)


class ScopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"310106{100 + n:03d}")
    name = factory.Sequence(lambda n: f"Street {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class OrganisationFactory(ScopedFactory):
    class Meta:
        model = Organisation

    subdistrict = factory.SubFactory(SubdistrictFactory)
    kind = Organisation.Kind.DEPARTMENT
    code = factory.Sequence(lambda n: f"ORG{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")


class MembershipFactory(ScopedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    subdistrict = factory.SubFactory(SubdistrictFactory)
    role = "handler"


class GridFactory(ScopedFactory):
    class Meta:
        model = Grid

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.Sequence(lambda n: f"Grid {n}")


class QuarterFactory(ScopedFactory):
    class Meta:
        model = Quarter

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.Sequence(lambda n: f"Q{n:03d}")
    name = factory.Sequence(lambda n: f"Quarter {n}")
    households = 400
    population = 1000
    over_60 = 300


class BuildingFactory(ScopedFactory):
    class Meta:
        model = Building

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"Tower {n}")
    address = factory.Sequence(lambda n: f"{n} West Nanjing Road")
    lon = 121.459
    lat = 31.237
    floors = 30
    floor_area_m2 = Decimal("50000")


class EnterpriseFactory(ScopedFactory):
    class Meta:
        model = Enterprise

    subdistrict = factory.SubFactory(SubdistrictFactory)
    credit_code = factory.Sequence(credit_code)
    name = factory.Sequence(lambda n: f"Enterprise {n} Ltd")
    industry_code = "I6510"
    registered_capital = Decimal("500")
    founded_on = dt.date(2018, 5, 1)
    headcount = 40


class FacilityFactory(ScopedFactory):
    class Meta:
        model = Facility

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"Facility {n}")
    category = Facility.Category.HEALTH_STATION
    entrances = [[121.459, 31.237]]
