"""Park Assistant verbs: publish a notice, open it (a read receipt), remind the unread, file a
building request, forward it as a case or decline it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel
from linli.cases.services import submit_case
from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.enterprise.park import rules
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt, NoticeRecipient
from linli.registry.models import Building, Enterprise


def members_of(enterprise_ids: Iterable[int]) -> list[User]:
    """The people who act for these enterprises in linli (their enterprise members)."""
    memberships = Membership.objects.filter(
        role=Role.ENTERPRISE_MEMBER, enterprise_id__in=list(enterprise_ids)
    ).select_related("user")
    return [m.user for m in memberships]


def _text(
    model: type[models.Model],
    value: str | None,
    field: str,
    errors: dict[str, list[str]],
    message: str,
) -> str:
    """The stripped text, or an error on ``field``: empty, or longer than the model allows."""
    value = (value or "").strip()
    if not value:
        errors[field] = [message]
    elif getattr(model._meta.get_field(field), "max_length", None) is not None:
        try:
            limits.refuse_overlong(model, **{field: value})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    return value


def publish_notice(
    building: Building,
    *,
    actor: Access,
    title: str,
    body: str,
    enterprise_ids: Iterable[int] | None = None,
) -> Notice:
    """Send a notice to every active enterprise of the building (``enterprise_ids`` None) or to
    the chosen ones, which must be in the building. Their members find it in their inbox."""
    if not rules.may_manage(actor, building):
        raise Http404
    errors: dict[str, list[str]] = {}
    title = _text(Notice, title, "title", errors, _("Give the notice a title."))
    body = _text(Notice, body, "body", errors, _("Write the notice."))
    in_building = Enterprise.objects.filter(building=building).exclude(
        status=Enterprise.Status.CLOSED
    )
    if enterprise_ids is None:
        chosen = list(in_building)
        audience = Notice.Audience.ALL
        if not chosen:
            errors["enterprises"] = [_("No enterprise is registered in this building.")]
    else:
        wanted = set(enterprise_ids)
        chosen = list(in_building.filter(pk__in=wanted))
        audience = Notice.Audience.CHOSEN
        if not wanted:
            errors["enterprises"] = [_("Choose at least one enterprise.")]
        elif len(chosen) != len(wanted):
            errors["enterprises"] = [_("Only enterprises in this building can receive it.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            subdistrict=building.subdistrict,
            building=building,
            title=title,
            body=body,
            audience=audience,
            published_by=actor.user,
        )
        NoticeRecipient.objects.bulk_create(
            NoticeRecipient(subdistrict=building.subdistrict, notice=notice, enterprise=e)
            for e in chosen
        )
        audit.record(actor, "park.notice.publish", notice, after={"recipients": len(chosen)})
        notify(
            members_of(e.pk for e in chosen),
            building.subdistrict,
            title=_("Notice from %(building)s: %(title)s") % {"building": building, "title": title},
            body=body,
            url=reverse("park:notice", kwargs={"pk": notice.pk}),
        )
    return notice


def recipient_enterprise(notice: Notice, actor: Access) -> Enterprise | None:
    """The actor's own enterprise this notice is addressed to, if any."""
    return (
        rules.own_enterprises(actor)
        .filter(pk__in=notice.recipients.values("enterprise_id"))
        .order_by("pk")
        .first()
    )


def open_notice(notice: Notice, *, actor: Access) -> NoticeReceipt:
    """Record that the actor read the notice. Only the first opening counts; later ones return
    the same receipt."""
    enterprise = recipient_enterprise(notice, actor)
    if enterprise is None or actor.user is None:
        raise Http404
    existing = NoticeReceipt.objects.filter(notice=notice, user=actor.user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            receipt = NoticeReceipt.objects.create(
                subdistrict=notice.subdistrict,
                notice=notice,
                enterprise=enterprise,
                user=actor.user,
            )
            audit.record(actor, "park.notice.read", notice)
    except IntegrityError:
        # Two taps at once: the other request wrote the receipt first.
        return NoticeReceipt.objects.get(notice=notice, user=actor.user)
    return receipt


def unread_members(notice: Notice) -> list[User]:
    readers = set(notice.receipts.values_list("user_id", flat=True))
    recipients = notice.recipients.values_list("enterprise_id", flat=True)
    return [u for u in members_of(recipients) if u.pk not in readers]


def remind_unread(notice: Notice, *, actor: Access) -> int:
    """Remind, in their inbox, every recipient member who has not opened the notice yet."""
    if not rules.may_manage(actor, notice.building):
        raise Http404
    people = unread_members(notice)
    if not people:
        raise ValidationError(_("Everybody has read this notice: there is nobody to remind."))
    with transaction.atomic():
        before = audit.snapshot(notice)
        notice.last_reminded_at = clock.now()
        notice.save(update_fields=["last_reminded_at"])
        audit.record(
            actor,
            "park.notice.remind",
            notice,
            before=before,
            after=audit.snapshot(notice),
            note=f"{len(people)}",
        )
        notify(
            people,
            notice.subdistrict,
            title=_("Reminder: please read “%(title)s”") % {"title": notice.title},
            body=notice.body,
            url=reverse("park:notice", kwargs={"pk": notice.pk}),
        )
    return len(people)


def file_request(
    enterprise: Enterprise, *, actor: Access, title: str, description: str
) -> BuildingRequest:
    """An enterprise asks its building manager for something; the managers are told."""
    if not rules.may_file_for(actor, enterprise):
        raise PermissionDenied(_("You can only file requests for your own enterprise."))
    errors: dict[str, list[str]] = {}
    title = _text(BuildingRequest, title, "title", errors, _("Give the request a title."))
    description = _text(
        BuildingRequest, description, "description", errors, _("Describe what you need.")
    )
    if enterprise.building_id is None:
        errors["enterprise"] = [_("This enterprise is not registered in a building.")]
    if errors:
        raise ValidationError(errors)
    building = enterprise.building
    assert building is not None  # noqa: S101 - checked above
    with transaction.atomic():
        request = BuildingRequest.objects.create(
            subdistrict=enterprise.subdistrict,
            building=building,
            enterprise=enterprise,
            title=title,
            description=description,
            submitted_by=actor.user,
        )
        audit.record(actor, "park.request.file", request)
        managers = Membership.objects.filter(
            role=Role.BUILDING_MANAGER, building=building
        ).select_related("user")
        notify(
            [m.user for m in managers],
            enterprise.subdistrict,
            title=_("New request from %(enterprise)s: %(title)s")
            % {"enterprise": enterprise, "title": title},
            url=reverse("park:requests", kwargs={"pk": building.pk}),
        )
    return request


def _open_request(request: BuildingRequest, actor: Access, action: str) -> None:
    """Refuse what ``rules.request_actions`` does not offer: another building's request (as
    if it did not exist) or one already handled."""
    if not rules.may_manage(actor, request.building):
        raise Http404
    if action not in rules.request_actions(actor, request):
        raise ValidationError(_("This request has already been handled."))


def forward_request(
    request: BuildingRequest,
    *,
    actor: Access,
    category: Category | None,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> Case:
    """One step: the building manager turns the request into a case (building-manager channel,
    with the category's own questions in ``extra``), and the enterprise's members are told its
    number."""
    _open_request(request, actor, "forward")
    if category is None:
        raise ValidationError({"category": [_("Choose what the request is about.")]})
    description = request.description
    if note.strip():
        description = _("%(text)s\n\nNote from the building manager: %(note)s") % {
            "text": description,
            "note": note.strip(),
        }
    with transaction.atomic():
        case = submit_case(
            actor=actor,
            category=category,
            channel=Channel.BUILDING_MANAGER,
            title=request.title,
            description=description,
            building=request.building,
            enterprise=request.enterprise,
            extra=extra,
        )
        before = audit.snapshot(request)
        request.status = BuildingRequest.Status.FORWARDED
        request.case = case
        request.handled_by = actor.user
        request.handled_at = clock.now()
        request.reply = note.strip()
        request.save()
        audit.record(
            actor, "park.request.forward", request, before=before, after=audit.snapshot(request)
        )
        notify(
            members_of([request.enterprise_id]),
            request.subdistrict,
            title=_("Your request “%(title)s” is now case %(number)s")
            % {"title": request.title, "number": case.number},
            url=reverse("park:home"),
        )
    return case


def decline_request(request: BuildingRequest, *, actor: Access, reply: str) -> BuildingRequest:
    """Close a request without a case; the enterprise gets the reason."""
    _open_request(request, actor, "decline")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": [_("Tell the enterprise why.")]})
    with transaction.atomic():
        before = audit.snapshot(request)
        request.status = BuildingRequest.Status.DECLINED
        request.handled_by = actor.user
        request.handled_at = clock.now()
        request.reply = reply
        request.save()
        audit.record(
            actor, "park.request.decline", request, before=before, after=audit.snapshot(request)
        )
        notify(
            members_of([request.enterprise_id]),
            request.subdistrict,
            title=_("Your request “%(title)s” was answered") % {"title": request.title},
            body=reply,
            url=reverse("park:home"),
        )
    return request
