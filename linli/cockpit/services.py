"""The cockpit's verbs: alert rules. A leader chooses an indicator, a threshold and who is
told; the sweep tells them once when the figure crosses the threshold and again only after it
has come back.

Rates are set in percent (a satisfaction below 85 means 85 %), counts as counts. The sweep reads
each indicator once per sub-district for the current month, as the system (every case).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from linli.cockpit import catalogue, rules  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Indicator, Period
from linli.cockpit.models import AlertEvent, AlertRule
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.messaging import Message, notify_each
from linli.core.models import Membership, Subdistrict, User


def _in_units(item: Indicator, value: float | int) -> Decimal:
    """The figure in the unit its threshold is set in: percent for a rate."""
    return Decimal(str(value)) * (100 if item.is_rate else 1)


def recipients_for(access: Access) -> list[User]:
    """Whom an alert may tell: the sub-district's leaders and administrators."""
    members = Membership.objects.filter(
        subdistrict=access.subdistrict, role__in=sorted(rules.OVERVIEW_READERS)
    ).values("user_id")
    return list(User.objects.filter(pk__in=members, is_active=True).order_by("username"))


def create_alert_rule(
    actor: Access,
    *,
    indicator: str,
    comparison: str,
    threshold: Decimal,
    recipients: list[User],
) -> AlertRule:
    actor.require(rules.can_manage_alerts(actor))
    errors: dict[str, str] = {}
    if indicator not in INDICATORS:
        errors["indicator"] = _("Choose an indicator of the cockpit.")
    if comparison not in AlertRule.Comparison.values:
        errors["comparison"] = _("Choose whether the alert fires above or below the threshold.")
    allowed = {u.pk for u in recipients_for(actor)}
    if not recipients or any(u.pk not in allowed for u in recipients):
        errors["recipients"] = _("Choose leaders or administrators of this sub-district.")
    if indicator in INDICATORS and INDICATORS[indicator].is_rate and not 0 <= threshold <= 100:
        errors["threshold"] = _("A rate's threshold is a percentage between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    assert actor.subdistrict is not None  # noqa: S101 - a leader works in one
    with transaction.atomic():
        rule = AlertRule.objects.create(
            subdistrict=actor.subdistrict,
            indicator=indicator,
            comparison=comparison,
            threshold=threshold,
            created_by=actor.user,
        )
        rule.recipients.set(recipients)
        audit.record(
            actor,
            "cockpit.alert_rule.create",
            rule,
            after={
                "indicator": indicator,
                "comparison": comparison,
                "threshold": str(threshold),
                "recipients": sorted(u.pk for u in recipients),
            },
        )
    return rule


def deactivate_alert_rule(actor: Access, rule: AlertRule) -> AlertRule:
    actor.require(rules.can_manage_alerts(actor))
    with transaction.atomic():
        AlertRule.objects.filter(pk=rule.pk).update(active=False)
        audit.record(actor, "cockpit.alert_rule.deactivate", rule)
    rule.refresh_from_db()
    return rule


def _breached(rule: AlertRule, value: Decimal) -> bool:
    if rule.comparison == AlertRule.Comparison.ABOVE:
        return value > rule.threshold
    return value < rule.threshold


def check_alerts(subdistrict: Subdistrict) -> int:
    """Compare every active rule with its figure now; tell the recipients of each rule that has
    just crossed its threshold. Returns the number of rules that fired. Idempotent: the state
    changes with a conditional update, so a second sweep (or worker) fires nothing twice."""
    system = Access.system(subdistrict)
    period = Period.of(clock.today())
    fired = 0
    with scope(subdistrict=subdistrict):
        rules_now = list(AlertRule.objects.filter(active=True).prefetch_related("recipients"))
        figures: dict[str, float | int | None] = {}
        for rule in rules_now:
            item = INDICATORS.get(rule.indicator)
            if item is None:
                continue
            if rule.indicator not in figures:
                figures[rule.indicator] = item.compute(system, period).value
            raw = figures[rule.indicator]
            if raw is None:
                continue  # nothing to take a rate of: neither a breach nor a recovery
            value = _in_units(item, raw)
            breach = _breached(rule, value)
            if breach == rule.in_breach:
                continue
            with transaction.atomic():
                if not AlertRule.objects.filter(pk=rule.pk, in_breach=not breach).update(
                    in_breach=breach
                ):
                    continue  # another sweep got there first
                kind = AlertEvent.Kind.FIRED if breach else AlertEvent.Kind.RECOVERED
                AlertEvent.objects.create(
                    subdistrict=subdistrict, rule=rule, kind=kind, value=value
                )
                if breach:
                    fired += 1
                    shown = f"{value:.1f}%" if item.is_rate else f"{value:.0f}"
                    title = _(
                        "Alert: %(indicator)s is %(value)s (%(comparison)s %(threshold)s)"
                    ) % {
                        "indicator": item.label,
                        "value": shown,
                        "comparison": rule.get_comparison_display(),
                        "threshold": f"{rule.threshold.normalize():f}",
                    }
                    url = reverse("cockpit:indicator", args=[rule.indicator])
                    notify_each(subdistrict, [Message(list(rule.recipients.all()), title, "", url)])
    return fired
