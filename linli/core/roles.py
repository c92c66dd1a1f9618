"""The roles a person can hold in a sub-district, and the groups of them that rules refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    SUBDISTRICT_ADMIN = "subdistrict_admin", _("Sub-district administrator")
    LEADER = "leader", _("Leader")
    HANDLER = "handler", _("Department handler")
    WINDOW_STAFF = "window_staff", _("Service-window staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    BUTLER = "butler", _("Enterprise butler")
    AMBASSADOR = "ambassador", _("Investment ambassador")
    BUILDING_MANAGER = "building_manager", _("Building manager")
    ENTERPRISE_MEMBER = "enterprise_member", _("Enterprise member")
    RESIDENT = "resident", _("Resident")
    CAREGIVER = "caregiver", _("Caregiver")
    VOLUNTEER = "volunteer", _("Caring-visit volunteer")
    MEAL_OPERATOR = "meal_operator", _("Meal-point operator")


ADMINS = frozenset({Role.PLATFORM_ADMIN, Role.SUBDISTRICT_ADMIN})
STAFF = frozenset(
    {
        Role.PLATFORM_ADMIN,
        Role.SUBDISTRICT_ADMIN,
        Role.LEADER,
        Role.HANDLER,
        Role.WINDOW_STAFF,
        Role.GRID_WORKER,
        Role.BUTLER,
        Role.AMBASSADOR,
    }
)
# Staff who work across the whole sub-district. A butler works on a portfolio of enterprises
# instead: wherever enterprises are listed, a butler sees the portfolio.
WHOLE_AREA = STAFF - {Role.BUTLER}
PUBLIC = frozenset({Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER, Role.RESIDENT})
# People who serve elders without being the sub-district's staff: a provider's caregivers and
# meal-point operators (their organisation is the provider), and volunteers of caring visits.
CARE = frozenset({Role.CAREGIVER, Role.VOLUNTEER, Role.MEAL_OPERATOR})
EVERYONE = STAFF | PUBLIC | CARE
