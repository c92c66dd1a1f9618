"""The root URLconf: Django's own, the API, then each app's pages where it declares them
(``LinliAppConfig.url_prefix`` and ``more_urls``); the apps at the root come last."""

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from linli.core.appconfig import LinliAppConfig
from linli.web.api import api


def _app_urls() -> list[URLPattern | URLResolver]:
    mounted: list[tuple[str, str]] = []
    for config in apps.get_app_configs():
        if not isinstance(config, LinliAppConfig):
            continue
        mounted.extend(config.more_urls.items())
        if config.url_prefix is not None:
            mounted.append((config.url_prefix, f"{config.name}.urls"))
    # A root prefix ("") would answer first for every path: mount it after the others.
    mounted.sort(key=lambda item: item[0] == "")
    return [path(prefix, include(module)) for prefix, module in mounted]


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *_app_urls(),
]

handler400 = "linli.web.errors.bad_request"
handler403 = "linli.web.errors.forbidden"
handler404 = "linli.web.errors.not_found"
handler500 = "linli.web.errors.server_error"
