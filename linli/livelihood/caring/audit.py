"""The audit actions of caring visits (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "caring",
    {
        "plan.create": pgettext_lazy("audit", "Caring-visit plan made"),
        "plan.generate": pgettext_lazy("audit", "Month's caring-visit plans made"),
        "plan.assign": pgettext_lazy("audit", "Visitor assigned to a caring-visit plan"),
        "plan.end": pgettext_lazy("audit", "Caring-visit plan ended"),
        "visit.log": pgettext_lazy("audit", "Caring visit logged"),
        "alert.raise": pgettext_lazy("audit", "Urgent alert about an elder raised"),
        "weather.set": pgettext_lazy("audit", "Extreme weather set"),
        "weather.cancel": pgettext_lazy("audit", "Extreme weather cancelled"),
        "group.form": pgettext_lazy("audit", "老伙伴 group formed"),
        "group.change": pgettext_lazy("audit", "老伙伴 group members changed"),
        "group.end": pgettext_lazy("audit", "老伙伴 group ended"),
        "overdue.step": pgettext_lazy("audit", "Overdue caring visit followed up"),
    },
)
