"""The audit actions of e-bike charging (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "charging",
    {"category.create": pgettext_lazy("audit", "E-bike charging case categories set up")},
)
