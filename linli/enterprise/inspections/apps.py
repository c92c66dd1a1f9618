from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "linli.enterprise.inspections"
    label = "inspections"
    verbose_name = _("Joint inspections")

    def ready(self) -> None:
        # Registers the enterprise-timeline provider (linli.core.timeline).
        from linli.enterprise.inspections import timeline  # noqa: F401
