from django.urls import path

from linli.governance.rentals import views

app_name = "rentals"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.find_dwelling, name="find"),
    path("new/<int:pk>/", views.new_lead, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/inspect/", views.inspect, name="inspect"),
    path("<int:pk>/notice/", views.issue_notice, name="notice"),
    path("<int:pk>/enforce/", views.enforce, name="enforce"),
    path("notice/<int:pk>.pdf", views.notice_file, name="notice_pdf"),
    path("reinspection/<int:pk>/", views.reinspect, name="reinspect"),
    path("quarters/", views.quarters, name="quarters"),
    path("quarters/<int:pk>/certify/", views.certify, name="certify"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.xlsx", views.export, name="export"),
    path("map/", views.map_page, name="map"),
    path("map/layers/", views.map_layers, name="map_layers"),
]
