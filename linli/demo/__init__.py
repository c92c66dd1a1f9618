"""The demo (DESIGN.md §7), above every app: finds the demo steps the apps declare and loads them
for each synthetic sub-district (``load.load_demo``, ``manage.py demo``).

Nothing below this package imports it: an app declares its steps in its own ``demo`` module
with ``linli.core.demo.DemoStep`` and reads its data files itself.
"""
