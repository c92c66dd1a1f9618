"""The audit actions of the registry (``linli.core.audit``): every kind is created, changed,
deleted and imported the same way."""

from django.utils.functional import lazy
from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

KINDS = {
    "organisation": pgettext_lazy("audit", "Organisation"),
    "grid": pgettext_lazy("audit", "Grid"),
    "quarter": pgettext_lazy("audit", "Residential quarter"),
    "building": pgettext_lazy("audit", "Building"),
    "enterprise": pgettext_lazy("audit", "Enterprise"),
    "facility": pgettext_lazy("audit", "Facility"),
}
VERBS = {
    "create": pgettext_lazy("audit", "%(kind)s created"),
    "update": pgettext_lazy("audit", "%(kind)s changed"),
    "delete": pgettext_lazy("audit", "%(kind)s deleted"),
    "import": pgettext_lazy("audit", "%(kind)s imported"),
}


def _label(verb: str, kind: str) -> str:
    return str(VERBS[verb]) % {"kind": KINDS[kind]}


declare("registry", {f"{k}.{v}": lazy(_label, str)(v, k) for k in KINDS for v in VERBS})
