"""Case pages, by concern: intake from every channel (``reporting``), one case with its timeline
and actions (``case``), the reporter's side and secret tracking link (``reporter``), the staff
workbench with its Excel export (``workbench``), and the map and metrics (``overview``).

Every change goes through a verb of ``services``; a refused transition comes back as a message
on the case page, a bad input as errors on the form that sent it.
"""
