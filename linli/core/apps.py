from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from linli.core import signals  # noqa: F401

        # Each app's rules.py registers its personal fields (linli.core.personal_data); import
        # them all at start-up so the unmask view and the purge know every field.
        autodiscover_modules("rules")
