"""Audit sign-ins, sign-outs and lockouts alongside the business writes."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from linli.core.models import AuditEntry


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    AuditEntry.objects.create(
        actor=user,
        action="core.session.login",
        object_type="core.user",
        object_id=str(user.pk),
        object_repr=str(user)[:200],
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        AuditEntry.objects.create(
            actor=user,
            action="core.session.logout",
            object_type="core.user",
            object_id=str(user.pk),
            object_repr=str(user)[:200],
        )
