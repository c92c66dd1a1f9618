"""The meal-point operator's panel of the home page (``core.workbench``): today's meals at
their provider's points, ordered and still to serve, with the way to the phone list."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import Figure, Link, PanelView, panel
from linli.livelihood.meals import rules
from linli.livelihood.meals.models import MealOrder


@panel("meals.today", roles={Role.MEAL_OPERATOR}, order=20, applies=rules.is_operator)
def today(access: Access) -> PanelView:
    url = reverse("meals:day")
    counts = (
        MealOrder.objects.visible_to(access)
        .filter(day=clock.today(), point__in=rules.points_for(access))
        .exclude(status=MealOrder.Status.CANCELLED)
        .aggregate(
            ordered=Count("pk"), waiting=Count("pk", filter=Q(status=MealOrder.Status.ORDERED))
        )
    )
    return PanelView(
        title=_("Meals today"),
        figures=(
            Figure(_("Ordered"), counts["ordered"], url),
            Figure(_("To serve"), counts["waiting"], url),
        ),
        links=(
            Link(_("Today's orders"), url, primary=True),
            Link(_("Order a meal"), reverse("meals:order")),
        ),
    )
