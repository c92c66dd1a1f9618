"""Every indicator of the cockpit, registered by importing the module that declares it: one
module per area, each adding its line here. The overview shows the areas in this order (the
issue's: cases, economy, front office, policies, livelihood, governance, life circle)."""

# isort: off
import linli.cockpit.case_indicators  # noqa: F401
import linli.cockpit.economy_indicators  # noqa: F401
import linli.cockpit.frontoffice_indicators  # noqa: F401
import linli.cockpit.policy_indicators  # noqa: F401
import linli.cockpit.livelihood_indicators  # noqa: F401
import linli.cockpit.governance_indicators  # noqa: F401
import linli.cockpit.lifecircle_indicators  # noqa: F401
# isort: on
