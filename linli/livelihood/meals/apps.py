from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class MealsConfig(appconfig.LinliAppConfig):
    name = "linli.livelihood.meals"
    label = "meals"
    verbose_name = _("Meals for the elderly")
    url_prefix = "meals/"
