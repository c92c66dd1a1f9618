"""The audit actions of people's mediation (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "mediation",
    {
        "case.open": pgettext_lazy("audit", "Mediation case opened"),
        "session.record": pgettext_lazy("audit", "Mediation session recorded"),
        "case.close": pgettext_lazy("audit", "Mediation case closed"),
        "agreement.sign": pgettext_lazy("audit", "Mediation agreement signed"),
        "follow_up.record": pgettext_lazy("audit", "Mediation follow-up recorded"),
        "follow_up.remind": pgettext_lazy("audit", "Mediation follow-up reminder sent"),
        "case.confirm": pgettext_lazy("audit", "Judicial confirmation recorded"),
    },
)
