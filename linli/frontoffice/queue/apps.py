from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class QueueConfig(appconfig.LinliAppConfig):
    name = "linli.frontoffice.queue"
    label = "queue"
    verbose_name = _("Take-a-number queue")
    url_prefix = "queue/"
    api_prefix = "queue"

    def ready(self) -> None:
        from linli.frontoffice.queue import tasks  # noqa: F401
