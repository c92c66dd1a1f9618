"""The audit actions of the investment pipeline (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "investment",
    {
        "prospect.create": pgettext_lazy("audit", "Prospect recorded"),
        "prospect.update": pgettext_lazy("audit", "Prospect changed"),
        "prospect.move": pgettext_lazy("audit", "Prospect moved to another stage"),
        "prospect.register": pgettext_lazy("audit", "Prospect registered as an enterprise"),
        "next_action.create": pgettext_lazy("audit", "Next step planned"),
        "next_action.complete": pgettext_lazy("audit", "Next step done"),
        "vacant_unit.create": pgettext_lazy("audit", "Vacant unit recorded"),
        "vacant_unit.update": pgettext_lazy("audit", "Vacant unit changed"),
    },
)
