"""Who may do what with the service catalog.

- Everyone signed in to a sub-district reads its catalog: enterprises and residents to find
  out how to get something done, staff to answer them.
- Administrators and the service-window staff of the centre keep the guides up to date.
- Whether someone may apply online, and through which channel, is the cases rule
  (``linli.cases.rules.may_submit``): the catalog only links to the intake form.

What a person reads (``ServiceItem.objects.visible_to``): the items shown in the catalog;
those who keep it also the items taken out of it.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, Role
from linli.core.visibility import Condition
from linli.frontoffice.catalog.models import ServiceItem

EDITORS = ADMINS | {Role.WINDOW_STAFF}


def may_view_catalog(access: Access) -> bool:
    return access.has_any(EVERYONE)


def may_edit_catalog(access: Access) -> bool:
    return access.has_any(EDITORS)


@visibility.policy(ServiceItem)
def service_items(access: Access, action: str) -> Condition:
    if may_edit_catalog(access):
        return True
    return Q(active=True) if may_view_catalog(access) else False
