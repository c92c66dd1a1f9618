from django.contrib import admin
from django.urls import include, path

from linli.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("open311/v2/", include("linli.cases.open311")),
    path("registry/", include("linli.registry.urls")),
    path("cases/", include("linli.cases.urls")),
    path("lifecircle/", include("linli.lifecircle.urls")),
    path("policies/", include("linli.policies.urls")),
    path("services/", include("linli.frontoffice.catalog.urls")),
    path("queue/", include("linli.frontoffice.queue.urls")),
    path("bookings/", include("linli.frontoffice.bookings.urls")),
    path("events/", include("linli.frontoffice.events.urls")),
    path("enterprise/", include("linli.enterprise.retention.urls")),
    path("investment/", include("linli.enterprise.investment.urls")),
    path("park/", include("linli.enterprise.park.urls")),
    path("inspections/", include("linli.enterprise.inspections.urls")),
    path("cockpit/", include("linli.cockpit.urls")),
    path("", include("linli.core.urls")),
]
