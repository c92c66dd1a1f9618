"""The audit actions of the Park Assistant (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "park",
    {
        "notice.publish": pgettext_lazy("audit", "Building notice published"),
        "notice.remind": pgettext_lazy("audit", "Unread notice reminded"),
        "notice.read": pgettext_lazy("audit", "Building notice read"),
        "request.file": pgettext_lazy("audit", "Building request filed"),
        "request.forward": pgettext_lazy("audit", "Building request forwarded as a case"),
        "request.decline": pgettext_lazy("audit", "Building request declined"),
    },
)
