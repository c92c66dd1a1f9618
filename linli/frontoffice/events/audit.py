"""The audit actions of events (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "events",
    {
        "event.create": pgettext_lazy("audit", "Event created"),
        "event.update": pgettext_lazy("audit", "Event changed"),
        "event.cancel": pgettext_lazy("audit", "Event cancelled"),
        "registration.create": pgettext_lazy("audit", "Registered for an event"),
        "registration.cancel": pgettext_lazy("audit", "Event registration cancelled"),
        "registration.offer": pgettext_lazy("audit", "Waitlist seat offered"),
        "registration.accept_offer": pgettext_lazy("audit", "Offered seat taken"),
        "registration.expire_offer": pgettext_lazy("audit", "Offered seat expired"),
        "registration.approve": pgettext_lazy("audit", "Event registration approved"),
        "registration.reject": pgettext_lazy("audit", "Event registration rejected"),
        "registration.check_in": pgettext_lazy("audit", "Checked in to an event"),
        "registration.rate": pgettext_lazy("audit", "Event rated"),
    },
)
