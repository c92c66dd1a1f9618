"""The audit actions of group rentals (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "rentals",
    {
        "file.create": pgettext_lazy("audit", "Group-rental lead recorded"),
        "file.stage": pgettext_lazy("audit", "Group-rental file moved to another stage"),
        "inspection.record": pgettext_lazy("audit", "Group-rental inspection recorded"),
        "notice.issue": pgettext_lazy("audit", "Rectification notice issued"),
        "notice.overdue": pgettext_lazy("audit", "Overdue rectification notice opened a case"),
        "enforcement.record": pgettext_lazy("audit", "Joint enforcement recorded"),
        "reinspection.record": pgettext_lazy("audit", "Group-rental re-inspection recorded"),
        "reinspection.overdue": pgettext_lazy("audit", "Overdue re-inspection opened a case"),
        "certification.create": pgettext_lazy("audit", "Quarter certified group-rental-free"),
    },
)
