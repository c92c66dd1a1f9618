from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class WorksConfig(appconfig.LinliAppConfig):
    name = "linli.governance.works"
    label = "works"
    verbose_name = _("Sporadic works")
    url_prefix = "works/"
