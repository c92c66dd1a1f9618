from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class RetentionConfig(appconfig.LinliAppConfig):
    name = "linli.enterprise.retention"
    label = "retention"
    verbose_name = _("Enterprise care")
    url_prefix = "enterprise/"
    api_prefix = "enterprise"

    def ready(self) -> None:
        # The timeline providers (visits, cases, policies) and the nightly risk snapshot.
        from linli.enterprise.retention import tasks, timeline  # noqa: F401
