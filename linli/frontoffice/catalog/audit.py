"""The audit actions of the service catalog (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "catalog",
    {
        "item.create": pgettext_lazy("audit", "Catalog item created"),
        "item.update": pgettext_lazy("audit", "Catalog item changed"),
    },
)
