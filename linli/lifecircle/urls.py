from django.urls import path

from linli.lifecircle import views

app_name = "lifecircle"

urlpatterns = [
    path("", views.coverage_map, name="map"),
    path("basemap/<str:code>.json", views.basemap, name="basemap"),
    path("gaps/", views.gap_list, name="gaps"),
    path("report/", views.report_page, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("standards/", views.standards, name="standards"),
    path("network/", views.network, name="network"),
    path("network/<int:pk>/use/", views.network_use, name="network_use"),
]
