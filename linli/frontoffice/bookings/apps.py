from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class BookingsConfig(appconfig.LinliAppConfig):
    name = "linli.frontoffice.bookings"
    label = "bookings"
    verbose_name = _("Bookings")
    url_prefix = "bookings/"
    api_prefix = "bookings"

    def ready(self) -> None:
        # Registers the no-show and reminder sweeps and the enterprise-timeline provider.
        from linli.frontoffice.bookings import tasks, timeline  # noqa: F401
