from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CatalogConfig(appconfig.LinliAppConfig):
    name = "linli.frontoffice.catalog"
    label = "catalog"
    verbose_name = _("Service catalog")
    url_prefix = "services/"
    api_prefix = "catalog"
