"""Policy verbs, one module per concern: the library (``library``), screening runs
(``screening``), grants without an application (``grants``) and telling enterprises about them
(``notices``), applications (``applications``), facts the registry does not hold (``facts``),
and the explanations grants and applications keep (``explanations``).

The engine (``linli.policies.engine``) knows nothing of Django; these verbs feed it from the
database and store what it decides, with the rule hash and evaluation date on every row. The
verbs are importable from here as well as from their modules.
"""

from linli.policies.services.applications import (
    APPLICABLE,
    APPLICATION_CATEGORY_CODE,
    application_category,
    apply_for_policy,
    may_apply_now,
    refusal,
)
from linli.policies.services.explanations import STATUS_OF, explain_for, explanation_snapshot
from linli.policies.services.facts import record_fact
from linli.policies.services.grants import grant_eligible, revoke_grant
from linli.policies.services.library import (
    LoadReport,
    VersionConflict,
    active_versions,
    current_versions,
    engine_policy,
    library_directory,
    load_policies,
)
from linli.policies.services.screening import enqueue_screening, run_screening

__all__ = [
    "APPLICABLE",
    "APPLICATION_CATEGORY_CODE",
    "STATUS_OF",
    "LoadReport",
    "VersionConflict",
    "active_versions",
    "application_category",
    "apply_for_policy",
    "current_versions",
    "engine_policy",
    "enqueue_screening",
    "explain_for",
    "explanation_snapshot",
    "grant_eligible",
    "library_directory",
    "load_policies",
    "may_apply_now",
    "record_fact",
    "refusal",
    "revoke_grant",
    "run_screening",
]
