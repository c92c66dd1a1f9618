"""The audit actions of the take-a-number queue (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "queue",
    {
        "ticket.issue": pgettext_lazy("audit", "Queue ticket issued"),
        "ticket.call": pgettext_lazy("audit", "Queue ticket called"),
        "ticket.recall": pgettext_lazy("audit", "Queue ticket called again"),
        "ticket.start": pgettext_lazy("audit", "Service started"),
        "ticket.finish": pgettext_lazy("audit", "Service finished"),
        "ticket.no_show": pgettext_lazy("audit", "Queue ticket: nobody came"),
        "ticket.transfer": pgettext_lazy("audit", "Queue ticket transferred"),
        "ticket.cancel": pgettext_lazy("audit", "Queue ticket cancelled"),
        "counter.open": pgettext_lazy("audit", "Counter opened"),
        "counter.close": pgettext_lazy("audit", "Counter closed"),
        "day.close": pgettext_lazy("audit", "Queue day closed"),
        "hall.rotate_device_key": pgettext_lazy("audit", "Screen and kiosk key renewed"),
    },
)
