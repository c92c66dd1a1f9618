"""The audit actions of the case engine (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "cases",
    {
        "case.submit": pgettext_lazy("audit", "Case reported"),
        "case.register": pgettext_lazy("audit", "Case registered"),
        "case.reject": pgettext_lazy("audit", "Case not registered"),
        "case.dispatch": pgettext_lazy("audit", "Case dispatched"),
        "case.merge": pgettext_lazy("audit", "Case merged into another"),
        "case.accept": pgettext_lazy("audit", "Case accepted"),
        "case.return": pgettext_lazy("audit", "Case returned to the dispatcher"),
        "case.start_handling": pgettext_lazy("audit", "Handling started"),
        "case.wait_for_reporter": pgettext_lazy("audit", "Case waiting for the reporter"),
        "case.resume": pgettext_lazy("audit", "Handling resumed"),
        "case.request_extension": pgettext_lazy("audit", "Extension requested"),
        "case.approve_extension": pgettext_lazy("audit", "Extension approved"),
        "case.deny_extension": pgettext_lazy("audit", "Extension refused"),
        "case.submit_for_verification": pgettext_lazy("audit", "Case submitted for verification"),
        "case.rework": pgettext_lazy("audit", "Case sent back for rework"),
        "case.verify": pgettext_lazy("audit", "Case verified"),
        "case.record_callback": pgettext_lazy("audit", "Callback recorded"),
        "case.close": pgettext_lazy("audit", "Case closed"),
        "case.reopen": pgettext_lazy("audit", "Case reopened"),
        "case.register_long_term": pgettext_lazy("audit", "Case registered as long-term"),
        "case.add_co_handler": pgettext_lazy("audit", "Co-handling organisation added"),
        "case.complete_co_handling": pgettext_lazy("audit", "Co-handling done"),
        "case.rate": pgettext_lazy("audit", "Case rated"),
        "case.remind": pgettext_lazy("audit", "Reminder sent (催办)"),
        "case.recompute_deadline": pgettext_lazy("audit", "Deadline moved with the work calendar"),
        "case.supervise": pgettext_lazy("audit", "Supervision raised (督办)"),
    },
)
