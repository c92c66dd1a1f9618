from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PeopleConfig(appconfig.LinliAppConfig):
    name = "linli.people"
    label = "people"
    verbose_name = _("Residents and homes")
    url_prefix = "people/"
    api_prefix = "people"

    def ready(self) -> None:
        from linli.people import personal_data, rules, tasks  # noqa: F401 - policies, fields, jobs
