from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class ChargingConfig(appconfig.LinliAppConfig):
    name = "linli.governance.charging"
    label = "charging"
    verbose_name = _("E-bike charging")
    url_prefix = "charging/"

    def ready(self) -> None:
        from linli.governance.charging import rules  # noqa: F401 - menu gates
