from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "linli.frontoffice.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from linli.frontoffice.events import tasks, timeline  # noqa: F401
