"""The base of every linli app's ``AppConfig``.

It lives apart from ``apps.py``: Django takes the one ``AppConfig`` subclass an ``apps.py``
defines, and a base class imported by name would be a second one.
"""

from typing import ClassVar

from django.apps import AppConfig


class LinliAppConfig(AppConfig):
    """An app of linli declares here what the web layer mounts of it (``linli.web``): its pages
    (``<app>.urls`` under ``url_prefix``), its API router (``<app>.api.router`` under
    ``/api/v1/<api_prefix>``) and any further URL modules. Nothing below the web layer has to
    know the apps above it."""

    url_prefix: ClassVar[str | None] = None
    api_prefix: ClassVar[str | None] = None
    more_urls: ClassVar[dict[str, str]] = {}
