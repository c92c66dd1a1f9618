"""The prospect's history on the enterprise it became (kind "investment")."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.enterprise.investment import rules
from linli.enterprise.investment.models import NextAction, Prospect, StageChange
from linli.enterprise.investment.services import prospect_url, stage_label
from linli.registry.models import Enterprise
from linli.registry.timeline import TimelineEntry

KIND = "investment"


def prospect_history(enterprise: Enterprise, access: Access) -> Iterable[TimelineEntry]:
    """How the enterprise was attracted, every stage and every action, for those who may read
    that story (``rules.prospects``, action ``history``)."""
    prospect = Prospect.objects.visible_to(access, "history").filter(enterprise=enterprise).first()
    if prospect is None:
        return []
    # Those who read the story from the enterprise's side (its butler) may not open the
    # pipeline itself: their entries carry no link that would answer 403.
    opens = (
        rules.can_view_pipeline(access)
        and Prospect.objects.visible_to(access).filter(pk=prospect.pk).exists()
    )
    url = prospect_url(prospect) if opens else ""
    entries = []
    changes = StageChange.objects.visible_to(access, "history").filter(prospect=prospect)
    for change in changes.select_related("actor"):
        detail = " · ".join(
            part
            for part in (
                str(change.get_reason_display()) if change.reason else "",
                change.note,
                str(change.actor or ""),
            )
            if part
        )
        entries.append(
            TimelineEntry(
                at=change.at,
                kind=KIND,
                title=_("Investment: %(stage)s") % {"stage": stage_label(change.to_stage)},
                detail=detail,
                url=url,
            )
        )
    for action in NextAction.objects.visible_to(access, "history").filter(prospect=prospect):
        done = action.done_at is not None
        entries.append(
            TimelineEntry(
                at=action.done_at or action.created_at,
                kind=KIND,
                title=(
                    _("Investment action done: %(title)s")
                    if done
                    else _("Investment action planned: %(title)s")
                )
                % {"title": action.title},
                detail=_("due on %(date)s") % {"date": action.due_on.isoformat()},
                url=url,
            )
        )
    return entries
