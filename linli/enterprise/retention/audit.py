"""The audit actions of enterprise care (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "retention",
    {
        "portfolio.assign": pgettext_lazy("audit", "Butler assigned"),
        "visit_plan.create": pgettext_lazy("audit", "Visit plan created"),
        "visit_plan.end": pgettext_lazy("audit", "Visit plan ended"),
        "visit.log": pgettext_lazy("audit", "Visit logged"),
        "butler_note.create": pgettext_lazy("audit", "Butler's note written"),
    },
)
