"""The rule numbers of group rentals (convention 15).

The room rules come from 《上海市居住房屋租赁管理办法》 (Shanghai Municipal People's Government
order, as amended in 2014, in force from 1 May 2014): art. 9 (the smallest unit let is a room
originally designed for living; kitchens, bathrooms, balconies and underground storerooms are
never let for people to live in) and art. 10 (at most 2 people per room, except people with a
legal duty of support to each other; at least 5 m² of living area per person, living area being
the floor area of the rooms originally designed for living). 《关于加强本市住宅小区出租房屋综合管理
工作的实施意见》 sets the sub-districts' follow-up: joint enforcement and re-inspections (回头看).
The deadline of a notice and the months of the re-inspections are the sub-district's practice.
"""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

RULES_SOURCE = _("Shanghai Measures on the Administration of Residential Lettings (2014), art. 10")

MAX_PER_ROOM = "rentals.max_persons_per_room"
MIN_AREA = "rentals.min_area_per_person_m2"
NOTICE_DAYS = "rentals.notice_working_days"
FIRST_REINSPECTION = "rentals.first_reinspection_months"
SECOND_REINSPECTION = "rentals.second_reinspection_months"
REINSPECTIONS = (FIRST_REINSPECTION, SECOND_REINSPECTION)

declare(
    Parameter(
        key=MAX_PER_ROOM,
        label=_("Group rentals: most people sleeping in one room (a family excepted)"),
        default=2,
        source=RULES_SOURCE,
        unit=_("people"),
        minimum=1,
        maximum=20,
    ),
    Parameter(
        key=MIN_AREA,
        label=_("Group rentals: least original living area per person"),
        default=5,
        source=RULES_SOURCE,
        unit=_("m²"),
        minimum=0,
        maximum=100,
        decimal=True,
    ),
    Parameter(
        key=NOTICE_DAYS,
        label=_("Group rentals: working days a rectification notice gives"),
        default=5,
        source=_(
            "Practice of the sub-districts (the law leaves the period to the notice: "
            "Shanghai Measures on the Administration of Residential Lettings, art. 32)"
        ),
        unit=_("working days"),
        minimum=1,
        maximum=60,
    ),
    Parameter(
        key=FIRST_REINSPECTION,
        label=_("Group rentals: first re-inspection, months after the enforcement"),
        default=1,
        source=_("Shanghai implementing opinions on the management of rented homes (回头看)"),
        unit=_("months"),
        minimum=1,
        maximum=24,
    ),
    Parameter(
        key=SECOND_REINSPECTION,
        label=_("Group rentals: second re-inspection, months after the enforcement"),
        default=3,
        source=_("Shanghai implementing opinions on the management of rented homes (回头看)"),
        unit=_("months"),
        minimum=1,
        maximum=36,
    ),
)
