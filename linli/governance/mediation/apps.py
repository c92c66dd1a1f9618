from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class MediationConfig(appconfig.LinliAppConfig):
    name = "linli.governance.mediation"
    label = "mediation"
    verbose_name = _("People's mediation")
    url_prefix = "mediation/"

    def ready(self) -> None:
        # Registers the visibility policies, the personal field and the reminder job.
        from linli.governance.mediation import personal_data, rules, tasks  # noqa: F401
