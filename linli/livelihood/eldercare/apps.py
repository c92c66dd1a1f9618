from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class EldercareConfig(appconfig.LinliAppConfig):
    name = "linli.livelihood.eldercare"
    label = "eldercare"
    verbose_name = _("Elderly care")
    url_prefix = "eldercare/"

    def ready(self) -> None:
        from linli.livelihood.eldercare import personal_data, tasks  # noqa: F401 - fields, jobs
