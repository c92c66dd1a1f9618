"""Read models of the Park Assistant: notices each side may see, receipts per enterprise, the
building's enterprises with their open requests and cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from linli.cases.models import FINAL_STATES, Case
from linli.core.access import Access
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt
from linli.registry.models import Building, Enterprise


def with_read_counts(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    """``recipient_count`` and ``read_enterprise_count`` on each notice: how many enterprises
    it went to and how many of them opened it (page, API and export read these)."""
    return notices.annotate(
        recipient_count=Count("recipients", distinct=True),
        read_enterprise_count=Count("receipts__enterprise", distinct=True),
    )


def read_share(notice: Notice) -> float | None:
    """The share of the recipient enterprises that read a notice ``with_read_counts``."""
    total = notice.recipient_count  # type: ignore[attr-defined]
    return notice.read_enterprise_count / total if total else None  # type: ignore[attr-defined]


def notices_for(access: Access, action: str = "view") -> QuerySet[Notice]:
    """The notices one may read (``rules.notices``), with their read counts."""
    notices = with_read_counts(Notice.objects.visible_to(access, action))
    # An aggregate drops the model's default order: newest first, as everywhere.
    return notices.select_related("building").order_by("-published_at", "-id")


def read_by(access: Access) -> set[int]:
    """The notices the person opened themselves."""
    receipts = NoticeReceipt.objects.visible_to(access)
    if access.user is None:
        return set()
    return set(receipts.filter(user=access.user).values_list("notice_id", flat=True))


@dataclass
class EnterpriseReceipts:
    enterprise: Enterprise
    receipts: list[NoticeReceipt] = field(default_factory=list)
    unread: list[User] = field(default_factory=list)

    @property
    def read(self) -> bool:
        return bool(self.receipts)


def receipts_by_enterprise(notice: Notice) -> list[EnterpriseReceipts]:
    """Per recipient enterprise: who opened the notice and when, and who has not yet."""
    rows = {
        r.enterprise_id: EnterpriseReceipts(r.enterprise)
        for r in notice.recipients.select_related("enterprise").order_by("enterprise__name")
    }
    readers: set[int] = set()
    for receipt in notice.receipts.select_related("user"):
        readers.add(receipt.user_id)
        if receipt.enterprise_id in rows:
            rows[receipt.enterprise_id].receipts.append(receipt)
    for membership_user, enterprise_id in _members_with_enterprise(rows):
        if membership_user.pk not in readers:
            rows[enterprise_id].unread.append(membership_user)
    return sorted(rows.values(), key=lambda row: (row.read, row.enterprise.name))


def _members_with_enterprise(rows: dict[int, EnterpriseReceipts]) -> list[tuple[User, int]]:
    memberships = Membership.objects.filter(
        role=Role.ENTERPRISE_MEMBER, enterprise_id__in=list(rows)
    ).select_related("user")
    return [(m.user, m.enterprise_id) for m in memberships if m.enterprise_id is not None]


def requests_for(access: Access, action: str = "view") -> QuerySet[BuildingRequest]:
    """The requests one may read (``rules.building_requests``)."""
    return BuildingRequest.objects.visible_to(access, action).select_related(
        "building", "enterprise", "case", "submitted_by"
    )


def building_cases(building: Building) -> QuerySet[Case]:
    return (
        Case.objects.filter(building=building)
        .select_related("category", "enterprise")
        .order_by("-received_at", "-id")
    )


def building_enterprises(access: Access, building: Building) -> QuerySet[Enterprise]:
    """The building's enterprises with their open requests and open cases (basic data only:
    the contact's phone never leaves the registry's masked, audited path)."""
    return (
        Enterprise.objects.visible_to(access)
        .filter(building=building)
        .annotate(
            open_requests=Count(
                "park_requests",
                filter=Q(park_requests__status=BuildingRequest.Status.OPEN),
                distinct=True,
            ),
            # A join, not a correlated subquery: the scoped subquery made SQLite search a
            # sub-district's cases once per enterprise (~0.4 s for a building of 200).
            open_cases=Count("case", filter=~Q(case__state__in=FINAL_STATES), distinct=True),
        )
        .order_by("name")
    )
