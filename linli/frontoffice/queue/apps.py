from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueConfig(AppConfig):
    name = "linli.frontoffice.queue"
    label = "queue"
    verbose_name = _("Take-a-number queue")

    def ready(self) -> None:
        from linli.frontoffice.queue import tasks  # noqa: F401
