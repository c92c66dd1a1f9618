"""The audit actions of residents and homes (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "people",
    {
        "building.create": pgettext_lazy("audit", "Residential building recorded"),
        "dwelling.create": pgettext_lazy("audit", "Dwelling recorded"),
        "ownership.create": pgettext_lazy("audit", "Owner of a dwelling recorded"),
        "rental.create": pgettext_lazy("audit", "Rental recorded"),
        "person.register": pgettext_lazy("audit", "Resident registered"),
        "person.move_in": pgettext_lazy("audit", "Resident moved in"),
        "person.move_out": pgettext_lazy("audit", "Resident moved out"),
        "person.death": pgettext_lazy("audit", "Death of a resident recorded"),
        "person.merge": pgettext_lazy("audit", "Two records of one resident merged"),
        "tag.set": pgettext_lazy("audit", "Tag set on a resident"),
        "tag.end": pgettext_lazy("audit", "Tag on a resident ended"),
        "consent.record": pgettext_lazy("audit", "Resident's consent recorded"),
        "consent.withdraw": pgettext_lazy("audit", "Resident's consent withdrawn"),
        "person.archive": pgettext_lazy("audit", "Residents' records archived after moving out"),
        "person.purge": pgettext_lazy("audit", "Residents' personal data purged after retention"),
        "ledger.import": pgettext_lazy("audit", "Ledger of residents and homes imported"),
    },
)
