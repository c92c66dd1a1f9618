from django.urls import path

from linli.cockpit import district_views, overview, screen_views, views

app_name = "cockpit"

urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", overview.overview, name="overview"),
    path("screen/", screen_views.large_screen, name="screen"),
    path("district/", district_views.district, name="district"),
    path("indicators/<str:key>/", overview.indicator_detail, name="indicator"),
    path("alerts/", overview.alerts, name="alerts"),
    path("alerts/<int:pk>/off/", overview.deactivate_alert, name="deactivate_alert"),
    path("buildings/export/", views.export, name="export"),
    path("buildings/<int:pk>/", views.building, name="building"),
]
