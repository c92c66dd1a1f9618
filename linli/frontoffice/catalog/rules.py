"""Who may do what with the service catalog.

- Everyone signed in to a sub-district reads its catalog: enterprises and residents to find
  out how to get something done, staff to answer them.
- Administrators and the service-window staff of the centre keep the guides up to date.
- Whether someone may apply online, and through which channel, is the cases rule
  (``linli.cases.rules.may_submit``): the catalog only links to the intake form.
"""

from __future__ import annotations

from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, Role

EDITORS = ADMINS | {Role.WINDOW_STAFF}


def may_view_catalog(access: Access) -> bool:
    return access.has_any(EVERYONE)


def may_edit_catalog(access: Access) -> bool:
    return access.has_any(EDITORS)
