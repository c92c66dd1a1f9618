"""The policy indicators of the cockpit: enterprises eligible for a benefit, granted one, and
eligible but not claimed.

Eligibility is what the latest screening run decided (a run replaces the sub-district's
decisions, so it has no past months); grants are dated, so they are counted in their month.
"Not claimed" is the policy app's own definition (``Decision.objects.unclaimed``), the one its
list of unclaimed benefits shows. All read through the reader's view of the enterprises.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import Figure, Part, Period, indicator
from linli.core.access import Access
from linli.policies.models import Decision, Grant

POLICIES = _("Policies")


def _title_field() -> str:
    """The policy title in the reader's language, as ``PolicyVersion.title`` picks it."""
    return (
        "policy_version__title_zh"
        if (get_language() or "zh").startswith("zh")
        else ("policy_version__title_en")
    )


def _by_policy(rows: QuerySet, url: Callable[[str], str]) -> tuple[Part, ...]:
    """Distinct enterprises per policy, largest first; ``url(policy_id)`` is the list behind."""
    title = _title_field()
    found = (
        rows.values("policy_id", title)
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by("-n", "policy_id")
    )
    return tuple(Part(row[title], row["n"], url(row["policy_id"])) for row in found)


def _enterprises(rows: QuerySet) -> int:
    return rows.values("enterprise_id").distinct().count()


def _detail(policy_id: str) -> str:
    return reverse("policies:detail", args=[policy_id])


@indicator(
    key="policies.eligible",
    group=POLICIES,
    label=_("Enterprises eligible"),
    definition=_(
        "Enterprises that the latest screening found eligible for at least one policy in force "
        "(every condition met), each counted once. The screening runs nightly; the figure is "
        "today's, whatever the month."
    ),
    formula=_("count(distinct enterprises with an eligible decision)"),
    breakdown=_("By policy"),
)
def eligible(access: Access, period: Period) -> Figure:
    rows = Decision.objects.visible_to(access).filter(status=Decision.Status.ELIGIBLE)
    return Figure(_enterprises(rows), parts=_by_policy(rows, _detail))


@indicator(
    key="policies.granted",
    group=POLICIES,
    label=_("Enterprises granted"),
    definition=_(
        "Enterprises granted a benefit without applying (免申即享) in the month, each counted "
        "once however many benefits it was granted; a grant revoked since is not counted."
    ),
    formula=_("count(distinct enterprises with a grant decided in the month, not revoked)"),
    breakdown=_("By policy"),
)
def granted(access: Access, period: Period) -> Figure:
    rows = Grant.objects.visible_to(access).filter(
        status=Grant.Status.GRANTED, decided_at__gte=period.start, decided_at__lt=period.end
    )
    return Figure(_enterprises(rows), parts=_by_policy(rows, _detail))


def _unclaimed_url(policy_id: str = "") -> str:
    query = urlencode({"policy": policy_id}) if policy_id else ""
    return reverse("policies:unclaimed") + (f"?{query}" if query else "")


@indicator(
    key="policies.unclaimed",
    group=POLICIES,
    label=_("Eligible but not claimed"),
    definition=_(
        "Enterprises eligible today for a benefit they must apply for or are to be granted, that "
        "have neither applied nor been granted it, each counted once (the list behind shows one "
        "line per benefit)."
    ),
    formula=_("count(distinct enterprises with an eligible decision, no application, no grant)"),
    lower_is_better=True,
    breakdown=_("By policy"),
)
def unclaimed(access: Access, period: Period) -> Figure:
    rows = Decision.objects.visible_to(access).unclaimed()
    return Figure(_enterprises(rows), _unclaimed_url(), _by_policy(rows, _unclaimed_url))
