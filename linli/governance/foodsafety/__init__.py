"""Food safety of catering establishments: licences, risk grades, inspections planned
through the joint-inspection planner, rectifications."""
