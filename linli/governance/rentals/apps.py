from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class RentalsConfig(appconfig.LinliAppConfig):
    name = "linli.governance.rentals"
    label = "rentals"
    verbose_name = _("Group rentals")
    url_prefix = "rentals/"

    def ready(self) -> None:
        from linli.governance.rentals import rules, tasks  # noqa: F401 - policies, jobs
