"""Who sees which profile and what of it: a butler unmasks only their portfolio's contacts, a
building manager sees only the basic data of their building's enterprises, an enterprise only
its own records."""

from __future__ import annotations

from django.urls import reverse

from linli.core.models import AuditEntry
from tests.retention.conftest import PHONES


def profile(enterprise) -> str:
    return reverse("retention:profile", kwargs={"pk": enterprise.pk})


def unmask(enterprise) -> str:
    return reverse("unmask", kwargs={"model": "enterprise", "kind": "phone", "pk": enterprise.pk})


def test_a_butler_sees_only_their_portfolios_contacts_unmasked(street):
    wang = street.client(street.wang)
    page = wang.get(profile(street.jade)).content.decode()
    assert "138****5678" in page and PHONES["jade"] not in page  # pages only show masks
    assert unmask(street.jade) in page  # … and offer the audited unmask for the portfolio

    response = wang.post(unmask(street.jade), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content.decode() == PHONES["jade"]
    entry = AuditEntry.objects.get(action="core.personal_data.unmask")
    assert entry.actor == street.wang and entry.object_id == str(street.jade.pk)

    # Another butler's enterprise and an unassigned one: not in the portfolio at all.
    assert wang.get(profile(street.harbour_co)).status_code == 404
    assert wang.get(profile(street.orphan)).status_code == 404
    assert wang.post(unmask(street.harbour_co)).status_code == 403
    assert AuditEntry.objects.filter(action="core.personal_data.unmask").count() == 1

    # A leader reads every profile, masked, and may not unmask (not a caller-back role).
    leader = street.client(street.leader)
    page = leader.get(profile(street.harbour_co)).content.decode()
    assert "139****4321" in page and unmask(street.harbour_co) not in page
    assert leader.post(unmask(street.harbour_co)).status_code == 403


def test_a_building_manager_sees_only_their_buildings_enterprises(street):
    manager = street.client(street.manager)
    listing = manager.get(reverse("retention:portfolio")).content.decode()
    assert "Jade Software Ltd" in listing
    assert "Harbour Trading Ltd" not in listing and "Orphan Studio Ltd" not in listing
    assert manager.get(profile(street.harbour_co)).status_code == 404
    assert manager.get(profile(street.orphan)).status_code == 404

    page = manager.get(profile(street.jade)).content.decode()
    assert street.jade.credit_code in page  # basic data …
    hidden = ("138****5678", "Contact of Jade", 'id="timeline-h"', 'id="risk-h"', 'id="notes-h"')
    for private in hidden:
        assert private not in page, private  # … and nothing more
    api = reverse("api:retention_timeline", kwargs={"pk": street.jade.pk})
    assert manager.get(api).status_code == 403


def test_an_enterprise_sees_only_its_own_records(street):
    member = street.client(street.member)
    # The enterprise's entry page is its own profile.
    response = member.get(reverse("retention:portfolio"))
    assert response.status_code == 302 and response["Location"] == profile(street.jade)

    page = member.get(profile(street.jade)).content.decode()
    assert "Contact of Jade Software Ltd" in page and 'id="timeline-h"' in page
    assert 'id="risk-h"' not in page and 'id="notes-h"' not in page
    assert member.post(unmask(street.jade)).status_code == 200  # its own contact

    for other in (street.harbour_co, street.orphan):
        assert member.get(profile(other)).status_code == 404
        timeline = reverse("api:retention_timeline", kwargs={"pk": other.pk})
        assert member.get(timeline).status_code == 404
    risk = reverse("api:retention_risk", kwargs={"pk": street.jade.pk})
    assert member.get(risk).status_code == 403
    assert member.get(reverse("retention:visit", kwargs={"pk": street.jade.pk})).status_code == 403


def test_residents_see_no_enterprise(street):
    resident = street.client(street.resident)
    assert resident.get(reverse("retention:portfolio")).status_code == 403
    assert resident.get(profile(street.jade)).status_code == 403


def test_notes_risk_and_visits_follow_their_enterprise(street):
    """Each row of this app is read through its model's policy: visits by the enterprise's full
    audience, notes by the staff among it, risk snapshots by managers and the butler."""
    from django.apps import apps

    from linli.core import clock, visibility
    from linli.enterprise.retention.models import ButlerNote, RiskSnapshot, Visit, VisitPlan

    for model in apps.get_app_config("retention").get_models():
        visibility.policy_of(model)  # every model of the app has one
    enterprises = (street.jade, street.harbour_co, street.orphan)
    for enterprise in enterprises:
        common = {"subdistrict": street.subdistrict, "enterprise": enterprise}
        Visit.objects.create(
            **common, visited_on=clock.today(), people_met="CEO", topics="Check-in"
        )
        ButlerNote.objects.create(**common, text="Prefers mornings.")
        RiskSnapshot.objects.create(**common, on=clock.today(), score=10)
    VisitPlan.objects.create(subdistrict=street.subdistrict, name="Yearly", every_months=12)

    def seen(user, model) -> set:
        rows = model.objects.visible_to(street.access(user))
        if model is VisitPlan:
            return set(rows.values_list("name", flat=True))
        return {r.enterprise for r in rows}

    everyone = set(enterprises)
    expected = {
        # who: (visits, notes, risk snapshots, plans)
        "leader": (everyone, everyone, everyone, {"Yearly"}),
        "dispatcher": (everyone, everyone, set(), {"Yearly"}),
        "wang": ({street.jade}, {street.jade}, {street.jade}, {"Yearly"}),
        "member": ({street.jade}, set(), set(), set()),
        "manager": (set(), set(), set(), set()),
        "resident": (set(), set(), set(), set()),
    }
    for who, wanted in expected.items():
        user = getattr(street, who)
        got = tuple(seen(user, m) for m in (Visit, ButlerNote, RiskSnapshot, VisitPlan))
        assert got == wanted, who
