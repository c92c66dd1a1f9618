"""The audit actions of elderly care (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "eldercare",
    {
        "file.open": pgettext_lazy("audit", "Elder's file opened"),
        "file.living": pgettext_lazy("audit", "Elder's living situation changed"),
        "contact.add": pgettext_lazy("audit", "Elder's emergency contact added"),
        "assessment.record": pgettext_lazy("audit", "Care-needs assessment recorded"),
        "assessment.remind": pgettext_lazy("audit", "Re-assessments reminded"),
        "order.request": pgettext_lazy("audit", "Care order requested"),
        "order.approve": pgettext_lazy("audit", "Care order approved"),
        "order.schedule": pgettext_lazy("audit", "Care order scheduled"),
        "order.suspend": pgettext_lazy("audit", "Care order suspended"),
        "order.resume": pgettext_lazy("audit", "Care order resumed"),
        "order.cancel": pgettext_lazy("audit", "Care order cancelled"),
        "visit.check_in": pgettext_lazy("audit", "Care visit checked in"),
        "visit.check_out": pgettext_lazy("audit", "Care visit checked out"),
        "visit.rate": pgettext_lazy("audit", "Care visit rated"),
        "visit.missed": pgettext_lazy("audit", "Care visits flagged missed"),
    },
)
