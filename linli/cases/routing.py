"""Where a case should go, and why.

1. An enterprise's appeal goes to its butler first (the butler knows the company and its people).
2. Otherwise the active rules are tried in priority order; a rule matches when each condition it
   names holds: the category (or, if it includes subcategories, an ancestor of it), the place
   (grid, quarter, building) and the channel. At equal priority a rule that names a place wins
   over one that does not: 先属地后属主, the locality answers first, the line department second.
3. Nothing matched: the sub-district's dispatch centre triages the case.

The decision carries the matched rule and a sentence a dispatcher can read on the case page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, RoutingRule
from linli.core.models import Membership, Organisation, User
from linli.core.roles import Role


@dataclass(frozen=True)
class RoutingDecision:
    organisation: Organisation | None
    assignee: User | None
    rule: RoutingRule | None
    reason: str


def _matches(rule: RoutingRule, case: Case, lineage_ids: list[int]) -> bool:
    if rule.category_id is not None:
        if rule.include_subcategories:
            if rule.category_id not in lineage_ids:
                return False
        elif rule.category_id != case.category_id:
            return False
    if rule.channel and rule.channel != case.channel:
        return False
    for place in ("grid_id", "quarter_id", "building_id"):
        wanted = getattr(rule, place)
        if wanted is not None and wanted != getattr(case, place):
            return False
    return True


def _depth(rule: RoutingRule, lineage_ids: list[int]) -> int:
    """How close the rule's category is to the case's: nearer categories are more specific."""
    if rule.category_id is None:
        return len(lineage_ids)
    return lineage_ids.index(rule.category_id)


def active_rules() -> list[RoutingRule]:
    # Matching reads only the rules' ids; the named category and place are read for the
    # matched rule's reason alone (a six-table join costs more to plan than that).
    return list(RoutingRule.objects.filter(active=True).select_related("organisation"))


def matching_rules(case: Case, rules: list[RoutingRule] | None = None) -> list[RoutingRule]:
    lineage_ids = [c.pk for c in case.category.lineage()]
    # A sub-district has tens of rules: load them once and match in Python.
    matched = [
        rule
        for rule in (active_rules() if rules is None else rules)
        if _matches(rule, case, lineage_ids)
    ]
    matched.sort(key=lambda r: (r.priority, not r.names_a_place, _depth(r, lineage_ids), r.pk))
    return matched


def _butler_organisation(butler: User) -> Organisation | None:
    memberships = Membership.objects.filter(user=butler, organisation__isnull=False)
    own = memberships.filter(role=Role.BUTLER).select_related("organisation").first()
    chosen = own or memberships.select_related("organisation").first()
    return chosen.organisation if chosen is not None else None


def dispatch_centre() -> Organisation | None:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.DISPATCH_CENTRE).order_by("code").first()
    )


def dispatchers() -> list[User]:
    """The people of the dispatch centre, who register and dispatch what routing left to them."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation__kind=Organisation.Kind.DISPATCH_CENTRE, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def _rule_reason(rule: RoutingRule, case: Case) -> str:
    conditions = []
    if rule.category_id is not None:
        conditions.append(_("category “%(category)s”") % {"category": rule.category})
    for place in ("grid", "quarter", "building"):
        value = getattr(rule, place)
        if value is not None:
            conditions.append(_("place “%(place)s”") % {"place": value})
    if rule.channel:
        conditions.append(_("channel “%(channel)s”") % {"channel": rule.get_channel_display()})
    return _("Rule #%(rule)s “%(name)s” matched on %(conditions)s.") % {
        "rule": rule.pk,
        "name": rule.name,
        "conditions": _(", ").join(conditions) if conditions else _("every case"),
    }


class Router:
    """Routes many cases with the rules, the dispatch centre and butlers' offices read once
    (bulk intake, the demo); ``route`` below reads them afresh for each case. A caller that
    keeps the active rules and the centre passes both."""

    def __init__(
        self,
        rules: list[RoutingRule] | None = None,
        centre: Organisation | None = None,
    ) -> None:
        self.rules = active_rules() if rules is None else rules
        self.centre = dispatch_centre() if rules is None else centre
        self._butler_orgs: dict[int, Organisation | None] = {}

    def butler_organisation(self, butler: User) -> Organisation | None:
        if butler.pk not in self._butler_orgs:
            self._butler_orgs[butler.pk] = _butler_organisation(butler)
        return self._butler_orgs[butler.pk]

    def route(self, case: Case) -> RoutingDecision:
        category: Category = case.category
        if (
            category.kind == Category.Kind.ENTERPRISE_APPEAL
            and case.enterprise is not None
            and case.enterprise.butler is not None
        ):
            butler = case.enterprise.butler
            organisation = self.butler_organisation(butler)
            rule = None
            if organisation is None:
                rules = matching_rules(case, self.rules)
                rule = rules[0] if rules else None
                organisation = rule.organisation if rule is not None else self.centre
            return RoutingDecision(
                organisation=organisation,
                assignee=butler,
                rule=rule,
                reason=_("An appeal of %(enterprise)s goes to its butler %(butler)s first.")
                % {"enterprise": case.enterprise, "butler": butler},
            )

        rules = matching_rules(case, self.rules)
        if rules:
            rule = rules[0]
            return RoutingDecision(
                organisation=rule.organisation,
                assignee=None,
                rule=rule,
                reason=_rule_reason(rule, case),
            )

        if self.centre is not None:
            return RoutingDecision(
                organisation=self.centre,
                assignee=None,
                rule=None,
                reason=_("No routing rule matched: the dispatch centre %(centre)s triages it.")
                % {"centre": self.centre},
            )
        return RoutingDecision(
            organisation=None,
            assignee=None,
            rule=None,
            reason=_("No routing rule matched and this sub-district has no dispatch centre."),
        )


def route(case: Case) -> RoutingDecision:
    return Router().route(case)
