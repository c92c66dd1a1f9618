"""Rule numbers as data: a new version applies from its date, earlier decisions keep theirs, bad
values are refused on the field, and only administrators record versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core import parameters
from linli.core.access import Access
from linli.core.models import AuditEntry, RuleParameter
from linli.core.services import set_parameter

VISITS = parameters.Parameter(
    key="testapp.visits_a_week",
    label="Visits a week",
    default=3,
    source="Test rule 2024",
    unit="visits",
    minimum=0,
    maximum=14,
)
SUBSIDY = parameters.Parameter(
    key="testapp.meal_subsidy",
    label="Meal subsidy",
    default=Decimal("4.5"),
    source="x",
    decimal=True,
    minimum=0,
)


@pytest.fixture(autouse=True)
def declared():
    parameters.declare(VISITS, SUBSIDY)
    yield
    parameters._DECLARED.pop(VISITS.key)
    parameters._DECLARED.pop(SUBSIDY.key)


@pytest.fixture
def admin(subdistrict, make_user):
    return make_user("subdistrict_admin", subdistrict)


def _access(user, subdistrict) -> Access:
    return Access.for_user(user, subdistrict)


def test_the_default_applies_until_a_version_and_a_future_version_leaves_the_past_alone(
    subdistrict, admin
) -> None:
    actor = _access(admin, subdistrict)
    with scope(subdistrict=subdistrict):
        assert parameters.value(VISITS.key, on=dt.date(2026, 1, 1)).value == 3
        assert parameters.value(VISITS.key, on=dt.date(2026, 1, 1)).pk is None
        version = set_parameter(
            actor,
            key=VISITS.key,
            value="5",
            effective_from=dt.date(2027, 1, 1),
            source="沪民规 2026",
        )
        assert parameters.value(VISITS.key, on=dt.date(2026, 12, 31)).value == 3
        later = parameters.value(VISITS.key, on=dt.date(2027, 1, 1))
        assert (later.value, later.pk, later.source) == (5, version.pk, "沪民规 2026")
        # A correction on the same date is a later version that wins; the first stays.
        set_parameter(
            actor, key=VISITS.key, value="6", effective_from=dt.date(2027, 1, 1), source="更正"
        )
        line = parameters.timeline(VISITS.key)
        assert [v.value for v in line.versions] == [6]
        assert line.at(dt.date(2026, 6, 1)).value == 3 and line.at(dt.date(2028, 1, 1)).value == 6
        assert RuleParameter.objects.filter(key=VISITS.key).count() == 2
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="core.parameter.set").latest("pk")
    assert entry.before == {"value": 5} and entry.after["value"] == 6


def test_versions_are_per_subdistrict(subdistrict, other_subdistrict, admin, make_user) -> None:
    other_admin = make_user("subdistrict_admin", other_subdistrict)
    set_parameter(
        _access(other_admin, other_subdistrict),
        key=VISITS.key,
        value=9,
        effective_from=dt.date(2020, 1, 1),
        source="B's rule",
    )
    with scope(subdistrict=subdistrict):
        assert parameters.value(VISITS.key).value == 3


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        (VISITS.key, "abc", "Enter a number."),
        (VISITS.key, "2.5", "Enter a whole number."),
        (VISITS.key, "15", "at most 14"),
        (VISITS.key, "-1", "at least 0"),
        (SUBSIDY.key, "NaN", "Enter a number."),
    ],
)
def test_a_bad_value_is_a_field_error_and_writes_nothing(
    subdistrict, admin, key, raw, message
) -> None:
    with pytest.raises(ValidationError) as caught:
        set_parameter(
            _access(admin, subdistrict),
            key=key,
            value=raw,
            effective_from=dt.date(2027, 1, 1),
            source="x",
        )
    assert message in " ".join(caught.value.message_dict["value"])
    with scopes_disabled():
        assert not RuleParameter.objects.exists()


def test_decimals_keep_their_digits(subdistrict, admin) -> None:
    set_parameter(
        _access(admin, subdistrict),
        key=SUBSIDY.key,
        value="0.1",
        effective_from=dt.date(2027, 1, 1),
        source="x",
    )
    with scope(subdistrict=subdistrict):
        assert parameters.value(SUBSIDY.key, on=dt.date(2027, 2, 1)).value == Decimal("0.1")


def test_versions_are_never_changed(subdistrict, admin) -> None:
    version = set_parameter(
        _access(admin, subdistrict),
        key=VISITS.key,
        value=4,
        effective_from=dt.date(2027, 1, 1),
        source="x",
    )
    with scope(subdistrict=subdistrict):
        with pytest.raises(PermissionError):
            RuleParameter.objects.filter(pk=version.pk).update(value=1)
        with pytest.raises(PermissionError):
            version.delete()


def test_the_page_lists_records_and_refuses_on_the_field(subdistrict, admin, client_for) -> None:
    client = client_for(admin)
    listing = client.get(reverse("parameter_list"))
    assert listing.status_code == 200 and "Visits a week" in listing.text
    url = reverse("parameter_detail", args=[VISITS.key])
    bad = client.post(url, {"value": "99", "effective_from": "2027-01-01", "source": "x"})
    assert bad.status_code == 200 and "at most 14" in bad.text
    good = client.post(url, {"value": "4", "effective_from": "2027-01-01", "source": "沪民规"})
    assert good.status_code == 302
    page = client.get(url).text
    assert "沪民规" in page and "2027-01-01" in page


def test_leaders_read_and_others_are_refused(subdistrict, make_user, client_for) -> None:
    leader = client_for(make_user("leader", subdistrict))
    url = reverse("parameter_detail", args=[VISITS.key])
    page = leader.get(url)
    assert page.status_code == 200 and "Record the value" not in page.text
    posted = leader.post(url, {"value": "4", "effective_from": "2027-01-01", "source": "x"})
    assert posted.status_code == 403
    handler = client_for(make_user("handler", subdistrict))
    assert handler.get(reverse("parameter_list")).status_code == 403
    assert (
        client_for(make_user("subdistrict_admin", subdistrict))
        .get(reverse("parameter_detail", args=["nobody.declared"]))
        .status_code
        == 404
    )
