"""The leaders' overview: every indicator of a month, each figure a link to what is behind
it (its breakdown, then the list), its definition and formula at hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.cockpit import catalogue, rules, services  # noqa: F401 - registers the indicators
from linli.cockpit.forms import AlertRuleForm
from linli.cockpit.indicators import INDICATORS, Indicator, Period
from linli.cockpit.models import AlertEvent, AlertRule
from linli.core import clock
from linli.core.http import page_access, show_errors


def _period(request: HttpRequest) -> tuple[Period, bool]:
    """The month asked for (``?month=2026-11``), or this month; and whether the asked one was
    unreadable, so the page can say so instead of silently showing another month."""
    asked = request.GET.get("month", "")
    found = Period.parse(asked) if asked else None
    return found or Period.of(clock.today()), bool(asked) and found is None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.can_view_overview(access))
    period, bad_month = _period(request)
    groups: dict[str, list[tuple[Indicator, object]]] = {}
    for item in INDICATORS.values():
        groups.setdefault(str(item.group), []).append((item, item.compute(access, period)))
    return render(
        request,
        "cockpit/overview.html",
        {"groups": groups, "period": period, "bad_month": bad_month},
    )


@login_required
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    access = page_access(request)
    access.require(rules.can_view_overview(access))
    item = INDICATORS.get(key)
    if item is None:
        raise Http404
    period, bad_month = _period(request)
    return render(
        request,
        "cockpit/indicator.html",
        {
            "indicator": item,
            "figure": item.compute(access, period),
            "period": period,
            "bad_month": bad_month,
        },
    )


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The sub-district's alert rules, whether each is in breach, and the form for a new one."""
    access = page_access(request)
    access.require(rules.can_manage_alerts(access))
    form = AlertRuleForm(request.POST or None, recipients=services.recipients_for(access))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_alert_rule(access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The alert rule is on."))
            return redirect("cockpit:alerts")
    found = (
        AlertRule.objects.visible_to(access)
        .filter(active=True)
        .prefetch_related("recipients")
        .order_by("indicator", "pk")
    )
    return render(
        request,
        "cockpit/alerts.html",
        {
            "rules": [(rule, INDICATORS.get(rule.indicator)) for rule in found],
            "events": AlertEvent.objects.visible_to(access).select_related("rule")[:20],
            "form": form,
        },
    )


@login_required
@require_POST
def deactivate_alert(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    rule = get_object_or_404(AlertRule.objects.visible_to(access, "change"), pk=pk)
    services.deactivate_alert_rule(access, rule)
    messages.success(request, _("The alert rule is switched off."))
    return redirect("cockpit:alerts")
