"""The retention of residents' records (convention 15): how long a record of a person who moved
out or died stays in daily work before it is archived, and how long the archive keeps its
personal data before the purge blanks it."""

from django.utils.translation import gettext_lazy as _

from linli.core import parameters
from linli.core.parameters import Parameter

ARCHIVE_AFTER_YEARS = "people.archive_after_years"
PURGE_AFTER_YEARS = "people.purge_after_years"

SOURCE = _(
    "PIPL art. 19 (kept no longer than the purpose needs); the sub-district's records schedule "
    "sets the years, linli's default until it does."
)

parameters.declare(
    Parameter(
        key=ARCHIVE_AFTER_YEARS,
        label=_("Years after moving out or death before a resident's record is archived"),
        default=2,
        source=SOURCE,
        unit=_("years"),
        minimum=1,
        maximum=30,
    ),
    Parameter(
        key=PURGE_AFTER_YEARS,
        label=_("Years an archived resident's record keeps its personal data before the purge"),
        default=3,
        source=SOURCE,
        unit=_("years"),
        minimum=0,
        maximum=30,
    ),
)
