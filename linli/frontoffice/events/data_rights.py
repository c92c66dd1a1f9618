"""Events' part in personal-data rights (``core.data_rights``): a person's registrations,
exported with the account; they name the person only through it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import Holder
from linli.frontoffice.events.models import Registration

data_rights.register(
    Holder(
        key="events.registration",
        label=_("Event registrations"),
        model=Registration,
        find=lambda p: (
            Registration.objects.filter(user=p.user).select_related("event")
            if p.user is not None
            else None
        ),
        facts=lambda r: {
            "event": r.event.title,  # type: ignore[attr-defined]
            "starts_at": r.event.starts_at.isoformat(),  # type: ignore[attr-defined]
            "state": str(r.get_state_display()),  # type: ignore[attr-defined]
            "registered_at": r.registered_at.isoformat(),  # type: ignore[attr-defined]
        },
    )
)
