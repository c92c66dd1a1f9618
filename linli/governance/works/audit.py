"""The audit actions of sporadic works (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare
from linli.core.audit_display import label_items
from linli.governance.works import classification
from linli.governance.works.models import Works

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

label_items(Works, "scopes", classification.label)
label_items(Works, "checklist", lambda code: classification.ITEMS.get(code, code))
