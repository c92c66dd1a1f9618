from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class RegistryConfig(appconfig.LinliAppConfig):
    name = "linli.registry"
    label = "registry"
    verbose_name = _("Registry")
    url_prefix = "registry/"
    api_prefix = "registry"
