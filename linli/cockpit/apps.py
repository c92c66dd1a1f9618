from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CockpitConfig(appconfig.LinliAppConfig):
    name = "linli.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")
    url_prefix = "cockpit/"
    api_prefix = "cockpit"
