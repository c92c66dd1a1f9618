from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CaringConfig(appconfig.LinliAppConfig):
    name = "linli.livelihood.caring"
    label = "caring"
    verbose_name = _("Caring visits")
    url_prefix = "caring/"

    def ready(self) -> None:
        # Visibility policies, audit actions, the periodic sweep and the person-timeline provider.
        from linli.livelihood.caring import audit, rules, tasks, timeline  # noqa: F401
