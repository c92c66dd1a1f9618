"""Every indicator of the cockpit, registered by importing the module that declares it: one
module per area (cases, economy, front office…), each adding its line here."""

from linli.cockpit import case_indicators  # noqa: F401 - registers the case indicators

# isort: split
import linli.cockpit.economy_indicators  # noqa: F401 - registers the economy indicators
import linli.cockpit.frontoffice_indicators  # noqa: F401 - the front-office indicators
import linli.cockpit.lifecircle_indicators  # noqa: F401 - registers the life-circle indicator
import linli.cockpit.policy_indicators  # noqa: F401 - registers the policy indicators
