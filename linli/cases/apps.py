from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CasesConfig(appconfig.LinliAppConfig):
    name = "linli.cases"
    label = "cases"
    verbose_name = _("Cases")
    url_prefix = "cases/"
    api_prefix = "cases"
    more_urls = {"open311/v2/": "linli.cases.open311"}

    def ready(self) -> None:
        from linli.cases import personal_data, tasks  # noqa: F401
