"""The audit actions of lift installation (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "lifts",
    {
        "project.open": pgettext_lazy("audit", "Lift project opened"),
        "project.advance": pgettext_lazy("audit", "Lift project advanced a stage"),
        "project.cost": pgettext_lazy("audit", "Lift project cost recorded"),
        "vote.record": pgettext_lazy("audit", "Owner's lift vote recorded"),
        "mediation.log": pgettext_lazy("audit", "Lift mediation session logged"),
        "document.add": pgettext_lazy("audit", "Lift project document added"),
    },
)
