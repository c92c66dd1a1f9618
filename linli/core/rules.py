"""Who may do what in core: the audit log, unmasking personal data, the inbox."""

from linli.core.access import Access
from linli.core.roles import ADMINS, Role

UNMASK_ROLES = ADMINS | {Role.WINDOW_STAFF, Role.HANDLER}


def can_read_audit_log(access: Access) -> bool:
    return access.has_any(ADMINS | {Role.LEADER})


def can_unmask(access: Access) -> bool:
    """Window staff and handlers call people back; admins fix records. Nobody else unmasks."""
    return access.has_any(UNMASK_ROLES)
