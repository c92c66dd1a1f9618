"""The cockpit: dashboards for leaders, starting with the buildings."""
