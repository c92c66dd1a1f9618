"""Setting bookings up: the resources (with their door and feed codes) and each person's
calendar-feed link."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases.attachments import CheckedImage
from linli.core import audit
from linli.core.access import Access
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.models import FeedToken, Resource, new_token


def _snapshot(resource: Resource) -> dict[str, Any]:
    """The audited fields; the photo by its stored name."""
    data = audit.snapshot(resource)
    data["photo"] = resource.photo.name or ""
    return data


def save_resource(
    resource: Resource, *, actor: Access, photo: CheckedImage | None = None
) -> Resource:
    """Create or change a resource (the form has validated its fields); ``photo`` is a new
    photo, already checked by its content (``cases.attachments.check_image``)."""
    actor.require(rules.can_manage_resources(actor))
    creating = resource.pk is None
    with transaction.atomic():
        before = None if creating else _snapshot(Resource.objects.get(pk=resource.pk))
        if photo is not None:
            resource.photo.save(photo.content.name or "photo", photo.content, save=False)
            resource.photo_type = photo.content_type
        resource.save()
        audit.record(
            actor,
            "bookings.resource.create" if creating else "bookings.resource.update",
            resource,
            before=before,
            after=_snapshot(resource),
        )
    return resource


def rotate_resource_tokens(resource: Resource, *, actor: Access) -> Resource:
    """New door QR code and feed URL: the printed code and old subscriptions stop working."""
    actor.require(rules.can_manage_resources(actor))
    with transaction.atomic():
        resource.door_token = new_token()
        resource.feed_token = new_token()
        resource.save(update_fields=["door_token", "feed_token"])
        audit.record(actor, "bookings.resource.rotate_tokens", resource)
    return resource


def feed_token(actor: Access) -> FeedToken:
    """The person's feed token in this sub-district, made on first use."""
    if actor.user is None or actor.subdistrict is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    token, _created = FeedToken.objects.get_or_create(
        subdistrict=actor.subdistrict, user=actor.user
    )
    return token


def rotate_feed_token(*, actor: Access) -> FeedToken:
    actor.require(actor.user is not None and actor.subdistrict is not None)
    with transaction.atomic():
        token = feed_token(actor)
        token.token = new_token()
        token.save(update_fields=["token"])
        audit.record(actor, "bookings.feed.rotate", token)
    return token
