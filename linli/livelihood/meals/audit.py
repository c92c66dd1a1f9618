"""The audit actions of meals (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "meals",
    {
        "order.place": pgettext_lazy("audit", "Meal ordered"),
        "order.serve": pgettext_lazy("audit", "Meal served"),
        "order.cancel": pgettext_lazy("audit", "Meal order cancelled"),
    },
)
