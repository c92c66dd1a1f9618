from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "linli.enterprise.retention"
    label = "retention"
    verbose_name = _("Enterprise care")

    def ready(self) -> None:
        # The timeline providers (visits, cases, policies) and the nightly risk snapshot.
        from linli.enterprise.retention import tasks, timeline  # noqa: F401
