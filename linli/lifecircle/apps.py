from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class LifecircleConfig(appconfig.LinliAppConfig):
    name = "linli.lifecircle"
    label = "lifecircle"
    verbose_name = _("15-minute life circle")
    url_prefix = "lifecircle/"
    api_prefix = "lifecircle"

    def ready(self) -> None:
        from linli.lifecircle import rules  # noqa: F401 - registers the visibility policies
