"""Every indicator of the cockpit, registered by importing the module that declares it: one
module per area (cases, economy, front office…), each adding its line here."""

from linli.cockpit import (
    case_indicators,  # noqa: F401 - registers the case indicators
    governance_indicators,  # noqa: F401 - registers the governance indicators
    livelihood_indicators,  # noqa: F401 - registers the livelihood indicators
)
