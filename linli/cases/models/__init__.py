"""Cases (工单): categories and their time limits, the case itself, its history and its clocks."""

from linli.cases.models.case import Case, CaseCounter, CaseReporter
from linli.cases.models.choices import (
    FINAL_STATES,
    Channel,
    RejectReason,
    Satisfaction,
    Stage,
    State,
)
from linli.cases.models.history import (
    CaseAttachment,
    CaseEvent,
    CaseEventQuerySet,
    CoHandler,
    SlaMark,
    attachment_path,
)
from linli.cases.models.setup import CaseSettings, Category, CategoryField, RoutingRule, TimeLimit

__all__ = [
    "FINAL_STATES",
    "Case",
    "CaseAttachment",
    "CaseCounter",
    "CaseEvent",
    "CaseEventQuerySet",
    "CaseReporter",
    "CaseSettings",
    "Category",
    "CategoryField",
    "Channel",
    "CoHandler",
    "RejectReason",
    "RoutingRule",
    "Satisfaction",
    "SlaMark",
    "Stage",
    "State",
    "TimeLimit",
    "attachment_path",
]
