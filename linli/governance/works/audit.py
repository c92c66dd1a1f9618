"""The audit actions of sporadic works (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "works",
    {
        "works.register": pgettext_lazy("audit", "Sporadic works registered"),
        "works.stage": pgettext_lazy("audit", "Sporadic works moved to another stage"),
        "works.complete": pgettext_lazy("audit", "Sporadic works completed"),
        "works.unregistered": pgettext_lazy("audit", "Works found without registration"),
        "notice.issue": pgettext_lazy("audit", "Site notice of works issued"),
        "inspection.record": pgettext_lazy("audit", "Works inspection recorded"),
        "waste.book": pgettext_lazy("audit", "Renovation-waste removal booked"),
    },
)
