"""The rule numbers of people's mediation (convention 15)."""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

FOLLOW_UP_DAYS = "mediation.follow_up_days"

declare(
    Parameter(
        key=FOLLOW_UP_DAYS,
        label=_("Days after an agreement to visit the parties again"),
        default=30,
        source=_(
            "人民调解工作若干规定 (2002) art. 37: the committee follows up how an agreement is "
            "kept; Shanghai committees visit again within a month"
        ),
        unit=_("days"),
        minimum=1,
        maximum=365,
    ),
)
