"""The audit actions of joint inspections (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "inspections",
    {
        "plan.create": pgettext_lazy("audit", "Inspection planned"),
        "plan.cancel": pgettext_lazy("audit", "Inspection cancelled"),
        "plan.merge": pgettext_lazy("audit", "Inspections merged into joint visits"),
        "visit.schedule": pgettext_lazy("audit", "Joint visit scheduled"),
        "result.record": pgettext_lazy("audit", "Inspection result recorded"),
    },
)
