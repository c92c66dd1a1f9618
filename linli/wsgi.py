"""The WSGI application gunicorn serves.

A worker holds a few hundred thousand objects from its imports (pypinyin's phrase dictionary
alone is about 200,000 lists) that live as long as the process. Python's cyclic collector
walked all of them in each full collection, a pause of 130–200 ms that fell on whichever
request happened to allocate at the time. So the views are imported now (Django would do it on
the first request) and what the imports left is frozen out of the collector's sight; requests
then pay only for what they allocate themselves.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view module
gc.collect()
gc.freeze()
