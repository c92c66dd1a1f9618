from django.urls import path

from linli.cases.views import acting, case, overview, public, reporter, reporting, workbench

app_name = "cases"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("export.xlsx", workbench.export, name="export"),
    path("bulk-dispatch/", workbench.bulk_dispatch, name="bulk_dispatch"),
    path("report/", reporting.report, name="report"),
    path("report/fields/", reporting.category_fields, name="fields"),
    path("report/duplicates/", reporting.duplicates, name="duplicates"),
    path("report/categories/", reporting.category_search_hits, name="category_search"),
    path("report/nearby/", reporting.nearby_reports, name="nearby"),
    path("public/", public.public_map_home, name="public_map_home"),
    path("public/<str:code>/", public.public_map_page, name="public_map"),
    path("public/<str:code>/reports.json", public.public_reports, name="public_reports"),
    path("intake/", reporting.staff_intake, name="intake"),
    path("patrol/", reporting.patrol, name="patrol"),
    path("building-report/", reporting.building_report, name="building_report"),
    path("mine/", reporter.my_cases, name="mine"),
    path("map/", overview.case_map, name="map"),
    path("map/layers.json", overview.map_layers, name="map_layers"),
    path("metrics/", overview.metrics_page, name="metrics"),
    path("metrics.xlsx", overview.metrics_xlsx, name="metrics_xlsx"),
    path("track/<str:token>/", reporter.track, name="track"),
    path("track/<str:token>/files/<int:pk>/", reporter.track_file, name="track_file"),
    path("<str:number>/", case.case_detail, name="detail"),
    path("<str:number>/submitted/", reporter.submitted, name="submitted"),
    path("<str:number>/rate/", reporter.rate, name="rate"),
    path("<str:number>/act/<slug:action>/", acting.act, name="act"),
    path("<str:number>/files/<int:pk>/", case.case_file, name="file"),
    path("<str:number>/reporters/<int:pk>/phone/", case.reporter_phone, name="reporter_phone"),
]
