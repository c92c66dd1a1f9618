from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PoliciesConfig(appconfig.LinliAppConfig):
    name = "linli.policies"
    label = "policies"
    verbose_name = _("Policies")
    url_prefix = "policies/"
    api_prefix = "policies"

    def ready(self) -> None:
        # Registers the nightly screening with the scheduler (linli.core.scheduler).
        from linli.policies import tasks  # noqa: F401
