from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class ParkConfig(appconfig.LinliAppConfig):
    name = "linli.enterprise.park"
    label = "park"
    verbose_name = _("Park Assistant")
    url_prefix = "park/"
    api_prefix = "park"

    def ready(self) -> None:
        from linli.enterprise.park import rules  # noqa: F401 - registers the visibility policies
