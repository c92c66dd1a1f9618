from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class FoodSafetyConfig(appconfig.LinliAppConfig):
    name = "linli.governance.foodsafety"
    label = "foodsafety"
    verbose_name = _("Food safety")
    url_prefix = "food-safety/"

    def ready(self) -> None:
        # Registers the visibility policies.
        from linli.governance.foodsafety import rules  # noqa: F401
