"""The audit actions of the life circle (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "lifecircle",
    {
        "network.import": pgettext_lazy("audit", "Walking network imported"),
        "network.use": pgettext_lazy("audit", "Walking network put in use"),
        "standard.update": pgettext_lazy("audit", "Planning standard changed"),
    },
)
