from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "linli.enterprise.investment"
    label = "investment"
    verbose_name = _("Investment")

    def ready(self) -> None:
        from linli.core.timeline import timeline_provider
        from linli.enterprise.investment import rules  # noqa: F401 - registers personal fields
        from linli.enterprise.investment.timeline import prospect_history

        timeline_provider(prospect_history)
