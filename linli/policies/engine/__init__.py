"""Policy matching engine (政策找企业, 免申即享): rules as code, no Django.

policies = load_library(DEFAULT_LIBRARY)
policyset = PolicySet.compile(policies, on=date(2025, 6, 1))
result = policyset.screen(EnterpriseTable.from_records(records))
result.eligible("graduate-startup-rent"), result.near_misses(...), result.unknown_fields(...)
explain(policy, record, on=date(2025, 6, 1)).text("zh")
"""

from .checks import CaseOutcome, run_policy_tests
from .compile import CompiledCondition, CompiledPolicy, CompileError, PolicySet, Status, Tri
from .explain import ConditionOutcome, Explanation, explain, explain_all
from .fields import CONDITION_FIELDS, FIELDS, TAGS, Field, FieldType, RecordError
from .formula import FormulaError
from .loader import DEFAULT_LIBRARY, load_library, load_policy_file, load_policy_text
from .policy import Label, Policy
from .schema import PolicyError, Problem, build_policy, rule_hash
from .screen import ScreeningResult, screen
from .table import Coded, EnterpriseTable

__all__ = [
    "CONDITION_FIELDS",
    "DEFAULT_LIBRARY",
    "FIELDS",
    "TAGS",
    "CaseOutcome",
    "Coded",
    "CompileError",
    "CompiledCondition",
    "CompiledPolicy",
    "ConditionOutcome",
    "EnterpriseTable",
    "Explanation",
    "Field",
    "FieldType",
    "FormulaError",
    "Label",
    "Policy",
    "PolicyError",
    "PolicySet",
    "Problem",
    "RecordError",
    "ScreeningResult",
    "Status",
    "Tri",
    "build_policy",
    "explain",
    "explain_all",
    "load_library",
    "load_policy_file",
    "load_policy_text",
    "rule_hash",
    "run_policy_tests",
    "screen",
]
