"""The audit actions of food safety (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "foodsafety",
    {
        "establishment.register": pgettext_lazy("audit", "Catering establishment registered"),
        "establishment.grade": pgettext_lazy("audit", "Catering establishment graded"),
        "inspections.generate": pgettext_lazy("audit", "Food-safety inspections generated"),
        "rectification.order": pgettext_lazy("audit", "Rectification ordered"),
        "rectification.follow_up": pgettext_lazy("audit", "Rectification followed up"),
    },
)
