"""The rule numbers of grid patrols (``linli.core.parameters``)."""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

declare(
    Parameter(
        key="patrols.per_week",
        label=_("Patrols a week on a grid's plan"),
        default=7,
        source=_(
            "Shanghai urban grid management practice: each grid is patrolled every day "
            "(网格巡查“日巡”)"
        ),
        unit=_("patrols a week"),
        minimum=1,
        maximum=21,
    ),
    Parameter(
        key="patrols.away_m",
        label=_("Distance from a patrol point beyond which a check-in is away"),
        default=100,
        source=_("Location accuracy of a phone outdoors, with a margin for tall buildings"),
        unit=_("m"),
        minimum=10,
        maximum=2000,
    ),
)
