from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class InspectionsConfig(appconfig.LinliAppConfig):
    name = "linli.enterprise.inspections"
    label = "inspections"
    verbose_name = _("Joint inspections")
    url_prefix = "inspections/"
    api_prefix = "inspections"

    def ready(self) -> None:
        # Registers the enterprise-timeline provider (linli.registry.timeline).
        from linli.enterprise.inspections import timeline  # noqa: F401
