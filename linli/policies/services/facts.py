"""Facts the registry does not hold (tax credit grade, serious violations, …), recorded for
the screening to read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.policies import rules
from linli.policies.engine import CONDITION_FIELDS, RecordError
from linli.policies.engine.fields import normalise_value
from linli.policies.enterprise_table import FACT_FIELDS
from linli.policies.models import EnterpriseFact
from linli.policies.services.library import json_safe
from linli.registry.models import Enterprise


def record_fact(
    enterprise: Enterprise,
    field_name: str,
    value: Any,
    *,
    actor: Access,
    source: str,
    as_of: dt.date | None = None,
) -> EnterpriseFact:
    """Record a policy field's value for an enterprise (``None`` clears it)."""
    actor.require(rules.may_record_fact(actor, enterprise))
    if field_name not in FACT_FIELDS:
        raise ValidationError({"field": [_("This field is not recorded as a fact.")]})
    try:
        clean = normalise_value(CONDITION_FIELDS[field_name], value)
    except RecordError as exc:
        raise ValidationError({"value": [exc.message]}) from None
    limits.refuse_overlong(EnterpriseFact, source=source)
    stored = json_safe(sorted(clean) if isinstance(clean, frozenset) else clean)
    with transaction.atomic():
        fact, _created = EnterpriseFact.objects.update_or_create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            field=field_name,
            defaults={
                "value": stored,
                "source": source,
                "as_of": as_of,
                "recorded_at": clock.now(),
                "recorded_by": actor.user,
            },
        )
        audit.record(
            actor,
            "policies.fact.record",
            fact,
            after={"field": field_name, "value": stored, "source": source},
        )
    return fact
