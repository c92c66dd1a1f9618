"""The caring panel of the home page: a visitor's people to visit, the most pressing first
(extreme weather, overdue), with a link to log a visit."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.workbench import ALERT, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.livelihood.caring import rules, weather
from linli.livelihood.caring.models import CaringPlan, CompanionMember

SHOWN = 6


def _has_visits(access: Access) -> bool:
    return rules.may_visit(access)


@panel("caring.visits", roles=ADMINS | STAFF | {Role.VOLUNTEER}, order=40, applies=_has_visits)
def people_to_visit(access: Access) -> PanelView | None:
    if access.user is None:
        return None
    today = clock.today()
    companions = CompanionMember.objects.filter(
        left_on__isnull=True, group__ended_on__isnull=True, group__leader__user_id=access.user.pk
    ).values("person_id")
    mine = (
        CaringPlan.objects.visible_to(access)
        .filter(ended_on__isnull=True)
        .filter(Q(visitor_id=access.user.pk) | Q(person_id__in=companions))
    )
    total = mine.count()
    if not total:
        return None
    overdue = mine.filter(next_due_on__lt=today)
    now_weather = weather.in_force(today)
    first = (
        weather.to_visit_now(mine, now_weather, today)
        if now_weather is not None
        else mine.filter(next_due_on__lte=today)
    )
    items = [
        Item(
            title=plan.person.name,
            url=reverse("caring:plan", kwargs={"pk": plan.pk}),
            when=_("due by %(day)s") % {"day": plan.next_due_on.isoformat()},
            badge=_("overdue") if plan.next_due_on < today else "",
            tone=ALERT if plan.next_due_on < today else WARN,
        )
        for plan in first.select_related("person").order_by("next_due_on", "pk")[:SHOWN]
    ]
    return PanelView(
        title=_("People to visit"),
        figures=[
            Figure(_("Assigned to me"), total, url=reverse("caring:mine")),
            Figure(_("Overdue"), overdue.count(), url=reverse("caring:mine"), tone=ALERT),
        ],
        lists=[
            ItemList(
                _("Visit now (extreme weather)") if now_weather else _("Due now"),
                items,
                _("Nobody is due now."),
                more=Link(_("All my people"), reverse("caring:mine")),
            )
        ],
    )
