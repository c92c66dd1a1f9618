from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "linli.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        # Registers the nightly screening with the scheduler (linli.core.scheduler).
        from linli.policies import tasks  # noqa: F401
