from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PatrolsConfig(appconfig.LinliAppConfig):
    name = "linli.governance.patrols"
    label = "patrols"
    verbose_name = _("Grid patrols")
    url_prefix = "patrols/"

    def ready(self) -> None:
        from linli.governance.patrols import rules  # noqa: F401 - visibility policies, menu gates
