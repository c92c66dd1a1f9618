"""Rows of the permission matrix for e-bike charging (see tests/core/matrix.py).

Who may do what (linli/governance/charging/rules.py): repeat addresses for administrators,
leaders, grid workers and committee staff (the world's handler works for a department: 403);
the coverage page for administrators and grid workers (the world has no walking network, so
the page says so); setting up the categories for administrators. B's administrator sees B's
own (empty) pages and sets up B's categories.
"""

from __future__ import annotations

from linli.core.roles import ADMINS, Role
from tests.core.matrix import Endpoint, fixed, statuses

READERS = ADMINS | {Role.LEADER, Role.GRID_WORKER}
PLANNERS = ADMINS | {Role.GRID_WORKER}

ENDPOINTS: list[Endpoint] = [
    Endpoint("charging:repeats", "GET", fixed("charging:repeats"), statuses(READERS)),
    Endpoint("charging:coverage", "GET", fixed("charging:coverage"), statuses(PLANNERS)),
    Endpoint(
        "charging:set_up_categories",
        "POST",
        fixed("charging:set_up_categories"),
        statuses(ADMINS, 302),
    ),
]
