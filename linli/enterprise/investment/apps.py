from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class InvestmentConfig(appconfig.LinliAppConfig):
    name = "linli.enterprise.investment"
    label = "investment"
    verbose_name = _("Investment")
    url_prefix = "investment/"
    api_prefix = "investment"

    def ready(self) -> None:
        from linli.enterprise.investment import rules  # noqa: F401 - registers policies, personal fields
        from linli.enterprise.investment.timeline import prospect_history
        from linli.registry.timeline import timeline_provider

        timeline_provider(prospect_history)
