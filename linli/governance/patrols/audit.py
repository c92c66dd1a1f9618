"""The audit actions of grid patrols (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "patrols",
    {
        "plan.create": pgettext_lazy("audit", "Patrol plan created"),
        "patrol.start": pgettext_lazy("audit", "Patrol started"),
        "patrol.check_in": pgettext_lazy("audit", "Checked in at a patrol point"),
        "patrol.end": pgettext_lazy("audit", "Patrol ended"),
        "finding.report": pgettext_lazy("audit", "Patrol finding reported as a case"),
    },
)
