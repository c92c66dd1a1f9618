from django.urls import path

from linli.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("report/", views.report, name="report"),
    path("report/fields/", views.category_fields, name="fields"),
    path("report/duplicates/", views.duplicates, name="duplicates"),
    path("intake/", views.staff_intake, name="intake"),
    path("patrol/", views.patrol, name="patrol"),
    path("building-report/", views.building_report, name="building_report"),
    path("mine/", views.my_cases, name="mine"),
    path("map/", views.case_map, name="map"),
    path("map/layers.json", views.map_layers, name="map_layers"),
    path("metrics/", views.metrics_page, name="metrics"),
    path("metrics.xlsx", views.metrics_xlsx, name="metrics_xlsx"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/files/<int:pk>/", views.track_file, name="track_file"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/submitted/", views.submitted, name="submitted"),
    path("<str:number>/rate/", views.rate, name="rate"),
    path("<str:number>/act/<slug:action>/", views.act, name="act"),
    path("<str:number>/files/<int:pk>/", views.case_file, name="file"),
    path("<str:number>/reporters/<int:pk>/phone/", views.reporter_phone, name="reporter_phone"),
]
