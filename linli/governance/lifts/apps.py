from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class LiftsConfig(appconfig.LinliAppConfig):
    name = "linli.governance.lifts"
    label = "lifts"
    verbose_name = _("Lift installation")
    url_prefix = "lifts/"
