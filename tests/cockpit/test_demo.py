"""The demo district step: both demo homes in one district, whose roll-up the account
``district`` reads, opening only the first home (where it also leads); nothing twice."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cockpit import demo
from linli.core.models import District, DistrictMembership, Membership
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, plan_homes


def test_the_demo_homes_form_one_district_read_by_the_district_account(
    subdistrict, other_subdistrict, client_for
):
    contexts = [
        DemoContext(home=home, subdistrict=sd, places=None, seed=DEMO_SEED)  # type: ignore[arg-type]
        for home, sd in zip(plan_homes(1), (subdistrict, other_subdistrict), strict=True)
    ]
    with scopes_disabled():  # as the demo loader runs its steps
        for ctx in contexts:
            assert not demo.loaded(ctx)
            assert demo.load(ctx) >= 1
            assert demo.loaded(ctx)
        for ctx in contexts:  # a second load adds nothing
            demo.load(ctx)
        # A reset wipes the first home's memberships, not its district: the step loads again.
        Membership.objects.filter(subdistrict=subdistrict).delete()
        assert not demo.loaded(contexts[0]) and demo.loaded(contexts[1])
        demo.load(contexts[0])
    (district,) = District.objects.all()
    assert set(district.subdistricts.all()) == {subdistrict, other_subdistrict}
    (membership,) = DistrictMembership.objects.all()
    with scopes_disabled():
        assert list(
            Membership.objects.filter(user=membership.user).values_list("subdistrict", flat=True)
        ) == [subdistrict.pk]
    page = client_for(membership.user).get(reverse("cockpit:district"))
    # Side by side by code: Demo Street (310106013), then Other Street (310106014).
    assert page.context["subdistricts"] == [subdistrict, other_subdistrict]
    assert page.context["openable"] == {subdistrict.pk}
