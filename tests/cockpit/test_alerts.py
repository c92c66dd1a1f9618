"""Alert rules: an alert fires once when its threshold is crossed, and again only after the
figure has recovered; bad rules are refused on their field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cases import services as s
from linli.cockpit.models import AlertEvent, AlertRule
from linli.cockpit.services import check_alerts, create_alert_rule
from linli.core.models import AuditEntry, Notification


def inbox(user) -> list[str]:
    with scopes_disabled():
        return list(Notification.objects.filter(user=user).values_list("title", flat=True))


@pytest.fixture
def rule(office):
    """Tell the leader when more than one case is overdue."""
    return create_alert_rule(
        office.access(office.leader),
        indicator="cases.overdue",
        comparison="above",
        threshold=Decimal(1),
        recipients=[office.leader],
    )


def test_an_alert_fires_once_per_breach_and_again_after_recovery(office, report, now, rule):
    d = office.access(office.dispatcher)
    now("2026-09-29 10:00")
    first, second = report(), report()
    for case in (first, second):
        s.register_case(case, actor=d)
        s.dispatch_case(case, office.dept_a, actor=d)
    assert check_alerts(office.subdistrict) == 0  # nothing overdue yet
    now("2026-09-30 10:00")  # both past the 1-working-hour acceptance limit
    assert check_alerts(office.subdistrict) == 1
    assert check_alerts(office.subdistrict) == 0  # still in breach: not told again
    (title,) = inbox(office.leader)
    assert "Overdue now" in title and "2" in title
    # One case is accepted: 1 overdue, back within the threshold.
    s.accept_case(first, actor=office.access(office.handler_a))
    assert check_alerts(office.subdistrict) == 0
    rule.refresh_from_db()
    assert not rule.in_breach
    # A new case goes overdue: a new breach, told once more.
    third = report()
    s.register_case(third, actor=d)
    s.dispatch_case(third, office.dept_a, actor=d)
    now("2026-10-08 10:00")
    assert check_alerts(office.subdistrict) == 1
    assert len(inbox(office.leader)) == 2
    kinds = list(
        AlertEvent.objects.filter(rule=rule).order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds == ["fired", "recovered", "fired"]


def test_a_rate_with_nothing_to_rate_neither_fires_nor_recovers(office, now):
    now("2026-09-29 10:00")
    create_alert_rule(
        office.access(office.leader),
        indicator="cases.satisfaction",
        comparison="below",
        threshold=Decimal(85),
        recipients=[office.leader],
    )
    assert check_alerts(office.subdistrict) == 0
    assert inbox(office.leader) == []


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("indicator", {"indicator": "cases.nothing"}),
        ("threshold", {"indicator": "cases.satisfaction", "threshold": Decimal(120)}),
        ("recipients", {"recipients": "handler"}),
        ("recipients", {"recipients": []}),
    ],
)
def test_a_bad_rule_is_refused_on_its_field(office, field, values):
    chosen = {
        "indicator": "cases.overdue",
        "comparison": "above",
        "threshold": Decimal(3),
        "recipients": [office.leader],
        **values,
    }
    if chosen["recipients"] == "handler":
        chosen["recipients"] = [office.handler_a]
    with pytest.raises(ValidationError) as caught:
        create_alert_rule(office.access(office.leader), **chosen)
    assert field in caught.value.message_dict
    assert not AlertRule.objects.exists()


def test_the_page_switches_a_rule_on_and_off(office, client_for):
    client = client_for(office.leader)
    url = reverse("cockpit:alerts")
    bad = client.post(
        url,
        {
            "indicator": "cases.satisfaction",
            "comparison": "below",
            "threshold": "150",
            "recipients": [office.leader.pk],
        },
    )
    assert bad.status_code == 200 and "between 0 and 100" in bad.content.decode()
    good = client.post(
        url,
        {
            "indicator": "cases.satisfaction",
            "comparison": "below",
            "threshold": "85",
            "recipients": [office.leader.pk],
        },
    )
    assert good.status_code == 302
    rule = AlertRule.objects.get()
    page = client.get(url).content.decode()
    assert "falls below 85%" in page
    client.post(reverse("cockpit:deactivate_alert", args=[rule.pk]))
    rule.refresh_from_db()
    assert not rule.active
    with scopes_disabled():
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"cockpit.alert_rule.create", "cockpit.alert_rule.deactivate"} <= actions
    assert client_for(office.handler_a).get(url).status_code == 403
