"""The rule numbers of e-bike charging (``linli.core.parameters``)."""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

declare(
    Parameter(
        key="charging.walk_m",
        label=_("Walking distance to an e-bike charging point"),
        default=300,
        source=_(
            "Shanghai 15-minute community life circle planning guide: daily facilities within "
            "a 5-minute walk (about 300 m)"
        ),
        unit=_("m"),
        minimum=50,
        maximum=2000,
    ),
    Parameter(
        key="charging.repeat_reports",
        label=_("Reports at one building that make it a repeat address"),
        default=2,
        source=_("Sub-district practice: a second report at the same building is followed up"),
        unit=_("reports"),
        minimum=2,
        maximum=50,
    ),
)
