from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class EventsConfig(appconfig.LinliAppConfig):
    name = "linli.frontoffice.events"
    label = "events"
    verbose_name = _("Events")
    url_prefix = "events/"
    api_prefix = "events"

    def ready(self) -> None:
        from linli.frontoffice.events import tasks, timeline  # noqa: F401
