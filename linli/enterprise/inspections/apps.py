from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class InspectionsConfig(appconfig.LinliAppConfig):
    name = "linli.enterprise.inspections"
    label = "inspections"
    verbose_name = _("Joint inspections")
    url_prefix = "inspections/"
    api_prefix = "inspections"

    def ready(self) -> None:
        # Registers the visibility policies and the enterprise-timeline provider.
        from linli.enterprise.inspections import rules, timeline  # noqa: F401
