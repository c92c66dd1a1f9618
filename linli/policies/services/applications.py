"""Applying for a policy: a case in the enterprise-appeal queue, with the eligibility
explanation the enterprise applied on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from linli.core import audit, limits
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.policies import rules
from linli.policies.models import Application, Decision, Mode
from linli.policies.services.explanations import (
    STATUS_OF,
    amount_of,
    explain_for,
    explanation_snapshot,
)
from linli.registry.models import Enterprise

APPLICATION_CATEGORY_CODE = "policy-application"
APPLICABLE = (Decision.Status.ELIGIBLE, Decision.Status.MAYBE)


def application_category(subdistrict: Subdistrict) -> Any:
    """The enterprise-appeal category policy applications are filed under.

    Ours (code ``policy-application``) if it exists; else a category the sub-district already
    files policy applications under (an active enterprise appeal with a ``policy`` field and no
    other required field), so that one queue keeps them all; else ours, made now, with fields
    that carry the policy version, its rule hash and the evaluation date onto the case.
    """
    from linli.cases.extra import fields_of
    from linli.cases.models import Category, CategoryField

    category = Category.objects.filter(
        subdistrict=subdistrict, code=APPLICATION_CATEGORY_CODE
    ).first()
    if category is not None:
        return category
    appeals = Category.objects.filter(
        subdistrict=subdistrict, kind=Category.Kind.ENTERPRISE_APPEAL, active=True
    ).order_by("code")
    for candidate in appeals:
        fields = fields_of(candidate)
        keys = {f.key for f in fields}
        if "policy" in keys and {f.key for f in fields if f.required} <= {"policy"}:
            return candidate
    with translation.override(settings.LANGUAGE_CODE):
        category = Category.objects.create(
            subdistrict=subdistrict,
            code=APPLICATION_CATEGORY_CODE,
            name=_("Policy application"),
            name_en="Policy application",
            kind=Category.Kind.ENTERPRISE_APPEAL,
            description=_("An enterprise applies for a preferential policy it qualifies for."),
        )
        specs = [
            ("policy", _("Policy and version"), CategoryField.Type.TEXT, True),
            ("rule_hash", _("Rule hash"), CategoryField.Type.TEXT, True),
            ("evaluated_on", _("Evaluation date"), CategoryField.Type.DATE, True),
            ("amount", _("Amount (yuan)"), CategoryField.Type.NUMBER, False),
        ]
        CategoryField.objects.bulk_create(
            CategoryField(
                subdistrict=subdistrict,
                category=category,
                key=key,
                label=label,
                type=kind,
                required=required,
                order=order,
            )
            for order, (key, label, kind, required) in enumerate(specs)
        )
    return category


def refusal(decision: Decision | None, application: Application | None) -> str | None:
    """Why the policy of ``decision`` cannot be applied for now (``application``: the one
    already filed, if any), or ``None``. The verb refuses with it and the pages offer "Apply"
    only where it says nothing, so no page offers what the verb would refuse."""
    if decision is None or decision.status not in APPLICABLE:
        return _("This enterprise does not qualify for this policy.")
    if decision.policy_version.mode != Mode.APPLY:
        return _("This policy is not applied for: it is granted or announced.")
    if application is not None:
        return _("An application for this policy is already open as case %(number)s.") % {
            "number": application.case_number
        }
    return None


def may_apply_now(
    access: Access,
    enterprise: Enterprise,
    decision: Decision | None,
    application: Application | None,
) -> bool:
    return rules.may_apply(access, enterprise) and refusal(decision, application) is None


def apply_for_policy(enterprise: Enterprise, policy_id: str, *, actor: Access) -> Application:
    """Open a case applying for a policy, with the eligibility explanation attached.

    The explanation is made again with the enterprise's data as it is now, on the screening's
    evaluation date, so the case carries exactly what the enterprise applied on.
    """
    from linli.cases.models import Case, Channel
    from linli.cases.services import submit_case

    actor.require(rules.may_apply(actor, enterprise))
    decision = (
        Decision.objects.filter(enterprise=enterprise, policy_id=policy_id)
        .select_related("policy_version")
        .first()
    )
    existing = None
    if decision is not None:
        existing = Application.objects.filter(
            enterprise=enterprise, policy_version=decision.policy_version
        ).first()
    if (reason := refusal(decision, existing)) is not None:
        raise ValidationError(reason)
    assert decision is not None  # noqa: S101 - refusal() said so
    version = decision.policy_version
    explanation = explain_for(enterprise, version, decision.evaluated_on)
    if explanation is None or STATUS_OF.get(explanation.status) not in APPLICABLE:
        raise ValidationError(
            _(
                "The enterprise's data changed since the last screening and it no longer "
                "qualifies; the next screening will update this page."
            )
        )
    snapshot = explanation_snapshot(explanation)
    lang = "zh" if (translation.get_language() or "").startswith("zh") else "en"
    title = version.title_zh if lang == "zh" else version.title_en
    amount = amount_of(explanation.amount)
    category = application_category(enterprise.subdistrict)
    # People read the policy by its title, never by its machine key (``id@vN``): the case's
    # Application row keeps the exact version, and the audit entry its key.
    extra: dict[str, Any] = {"policy": title}
    if category.code == APPLICATION_CATEGORY_CODE:
        # Our field is "Policy and version": the version in words.
        extra["policy"] = _("%(policy)s (version %(version)s)") % {
            "policy": title,
            "version": version.version,
        }
        # Another category's amount field may count in other units: the snapshot has ours.
        extra["rule_hash"] = version.rule_hash
        extra["evaluated_on"] = decision.evaluated_on.isoformat()
        if amount is not None:
            extra["amount"] = str(amount)
    channel = Channel.WEB
    if enterprise.pk not in actor.linked_ids("enterprise"):
        channel = Channel.BUTLER_VISIT  # a butler files it on the enterprise's behalf
    try:
        with transaction.atomic():
            case = submit_case(
                actor=actor,
                category=category,
                channel=channel,
                # A generated title: shortened visibly (…) if a long policy title needs it.
                title=Truncator(_("Policy application: %(policy)s") % {"policy": title}).chars(
                    limits.max_length(Case, "title")
                ),
                description=snapshot["text"][lang],
                enterprise=enterprise,
                extra=extra,
            )
            application = Application.objects.create(
                subdistrict=enterprise.subdistrict,
                enterprise=enterprise,
                policy_version=version,
                policy_id=version.policy_id,
                case=case,
                case_number=case.number,
                status_when_applied=STATUS_OF[explanation.status],
                amount=amount,
                rule_hash=version.rule_hash,
                evaluated_on=decision.evaluated_on,
                snapshot=snapshot,
                applied_by=actor.user,
            )
            audit.record(
                actor,
                "policies.application.submit",
                application,
                after={"policy": version.key, "case": case.number, "rule_hash": version.rule_hash},
            )
    except IntegrityError:
        raise ValidationError(_("An application for this policy is already open.")) from None
    return application
