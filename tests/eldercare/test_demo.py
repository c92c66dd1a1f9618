"""The elderly-care demo: on the residents demo of a small sub-district, files and
assessments for the elders, home care of grades 2–6 with a month of visits (a few missed),
care homes with beds and a waiting list, and visits today for the provider's caregiver."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.livelihood.eldercare import demo, statistics
from linli.livelihood.eldercare.models import Assessment, CareOrder, CareVisit, ElderFile
from linli.people import demo as people_demo
from linli.people.models import PersonTag
from linli.registry.demo.organisations import HOME_CARE_PROVIDER
from linli.registry.models import Facility
from tests.factories import FacilityFactory, OrganisationFactory
from tests.people.test_demo import loaded

pytestmark = pytest.mark.django_db


def test_the_demo_gives_elders_care_and_the_caregiver_a_day(now, make_user) -> None:
    now("2026-03-18 10:00")
    ctx, _persons = loaded("310106960")
    sub = ctx.subdistrict
    provider = OrganisationFactory(
        subdistrict=sub, code=HOME_CARE_PROVIDER, kind=Organisation.Kind.PROVIDER
    )
    FacilityFactory(subdistrict=sub, category=Facility.Category.ELDERLY_DAY_CARE)
    caregiver = make_user(Role.CAREGIVER, sub, username="caregiver", organisation=provider)
    with scope(subdistrict=sub):
        demo.load(ctx)
        elders = ElderFile.objects.count()
        assert 250 <= elders <= 900  # every elder of this small place, up to 900
        assert Assessment.objects.count() == elders
        assert PersonTag.objects.filter(kind__code="care_grade").count() == elders
        home_care = CareOrder.objects.filter(kind=CareOrder.Kind.HOME_CARE)
        assert 100 <= home_care.count() <= 300
        assert set(home_care.values_list("grade", flat=True)) <= {"2", "3", "4", "5", "6"}
        visits = CareVisit.objects.filter(order__in=home_care)
        missed = visits.filter(status=CareVisit.Status.MISSED).count()
        done = visits.filter(status=CareVisit.Status.DONE).count()
        assert 0 < missed < done / 10
        access = Access.for_user(caregiver, sub)
        today = statistics.month_visits(access, dt.date(2026, 3, 1)).filter(
            starts_at__date__gte=dt.date(2026, 3, 18), starts_at__date__lt=dt.date(2026, 3, 19)
        )
        assert today.count() > 10
        homes = statistics.care_homes(Access.system(sub))
        assert len(homes) == 2
        assert all(h["occupied"] <= h["capacity"] for h in homes)
        # Beds go to elders without home care: in this small place the first home fills up.
        assert homes[0]["occupied"] > 0
        assert Facility.objects.filter(
            category=Facility.Category.ELDERLY_DAY_CARE, operator=provider
        ).exists()
    assert people_demo.REFERENCE.year == 2026
