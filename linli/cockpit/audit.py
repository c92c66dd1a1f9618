"""The cockpit's audit actions (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "cockpit",
    {
        "alert_rule.create": pgettext_lazy("audit", "Alert rule created"),
        "alert_rule.deactivate": pgettext_lazy("audit", "Alert rule switched off"),
        "report.send": pgettext_lazy("audit", "Report made and sent"),
        "report_schedule.create": pgettext_lazy("audit", "Report schedule created"),
        "report_schedule.deactivate": pgettext_lazy("audit", "Report schedule switched off"),
    },
)
