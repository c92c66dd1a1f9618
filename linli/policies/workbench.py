"""Policies' panel of the home page (``core.workbench``): the benefits an enterprise qualifies
for and has not claimed (``Decision.objects.unclaimed``, the one definition), and its
applications still being handled."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases.models import FINAL_STATES
from linli.core import display
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import OK, Figure, Item, ItemList, Link, PanelView, panel
from linli.policies.describe import format_amount
from linli.policies.models import Application, Decision

SHOWN = 5


@panel("policies.enterprise", roles={Role.ENTERPRISE_MEMBER}, order=60)
def enterprise_policies(access: Access) -> PanelView:
    ids = access.linked_ids("enterprise")
    unclaimed = (
        Decision.objects.visible_to(access)
        .filter(enterprise_id__in=ids)
        .unclaimed()
        .select_related("enterprise", "policy_version")
    )
    applications = (
        Application.objects.visible_to(access)
        .filter(enterprise_id__in=ids)
        .exclude(case__state__in=FINAL_STATES)
        .select_related("policy_version", "case")
    )
    benefit_rows = [
        Item(
            title=d.policy_version.title,
            url=reverse("policies:enterprise", kwargs={"pk": d.enterprise_id}),
            detail=d.enterprise.name if len(ids) > 1 else "",
            when=f"{format_amount(d.amount)} {d.policy_version.amount_unit}".strip(),
            badge=_("Eligible"),
            tone=OK,
        )
        for d in unclaimed.largest_first()[:SHOWN]
    ]
    application_rows = [
        Item(
            title=a.policy_version.title,
            url=reverse("cases:detail", kwargs={"number": a.case_number}),
            when=_("applied %(day)s") % {"day": display.moment(a.applied_at)},
            badge=a.case.get_state_display(),
        )
        for a in applications[:SHOWN]
    ]
    mine = reverse("policies:mine")
    return PanelView(
        title=_("Our policies"),
        figures=[
            Figure(_("benefits to claim"), unclaimed.count(), url=mine, tone=OK),
            Figure(_("applications being handled"), applications.count(), url=mine),
        ],
        lists=[
            ItemList(_("Benefits you qualify for"), benefit_rows, _("No unclaimed benefit.")),
            ItemList(_("Applications"), application_rows, _("No application is being handled.")),
        ],
        links=[Link(_("Policies and reasons"), mine)],
    )
