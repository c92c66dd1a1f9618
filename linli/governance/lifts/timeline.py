"""A person's lift votes on their page (``linli.people.timeline``), read through the lift
projects' own visibility, so the page shows no more than the project page would."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.governance.lifts.models import Vote
from linli.people.models import Person
from linli.people.timeline import TimelineEntry, person_provider


@person_provider
def lift_votes(person: Person, access: Access) -> Iterable[TimelineEntry]:
    votes = (
        Vote.objects.visible_to(access)
        .filter(voter__persons=person)
        .select_related("project__unit__building__quarter")
        .order_by("-on", "-pk")[:50]
    )
    for vote in votes:
        yield TimelineEntry(
            at=vote.recorded_at,
            kind="lift",
            title=_("Lift vote: %(choice)s") % {"choice": vote.get_choice_display()},
            detail=str(vote.project.unit),
            url=reverse("lifts:project", kwargs={"pk": vote.project_id}),
        )
