from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "linli.frontoffice.bookings"
    label = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        # Registers the no-show and reminder sweeps and the enterprise-timeline provider.
        from linli.frontoffice.bookings import tasks, timeline  # noqa: F401
