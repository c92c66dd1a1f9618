"""The audit actions of policies (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "policies",
    {
        "policy.load": pgettext_lazy("audit", "Policy loaded"),
        "policy.deactivate": pgettext_lazy("audit", "Policy withdrawn"),
        "policy.reactivate": pgettext_lazy("audit", "Policy reinstated"),
        "screening.request": pgettext_lazy("audit", "Screening requested"),
        "grant.create": pgettext_lazy("audit", "Granted without application"),
        "grant.revoke": pgettext_lazy("audit", "Grant revoked"),
        "application.submit": pgettext_lazy("audit", "Policy application submitted"),
        "fact.record": pgettext_lazy("audit", "Enterprise fact recorded"),
    },
)
