from django.urls import path

from linli.cockpit import district_views, overview, report_views, screen_views, views

app_name = "cockpit"

urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", overview.overview, name="overview"),
    path("screen/", screen_views.large_screen, name="screen"),
    path("district/", district_views.district, name="district"),
    path("indicators/<str:key>/", overview.indicator_detail, name="indicator"),
    path("alerts/", overview.alerts, name="alerts"),
    path("alerts/<int:pk>/off/", overview.deactivate_alert, name="deactivate_alert"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/xlsx/", report_views.report_xlsx, name="report_xlsx"),
    path(
        "reports/schedules/<int:pk>/off/",
        report_views.deactivate_schedule,
        name="deactivate_report_schedule",
    ),
    path("buildings/export/", views.export, name="export"),
    path("buildings/<int:pk>/", views.building, name="building"),
]
