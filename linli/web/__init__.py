"""The web layer: what knows every app. The root URLconf, the API root and the commands that
need the whole site. Nothing below imports it."""
