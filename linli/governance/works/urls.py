from django.urls import path

from linli.governance.works import views

app_name = "works"

urlpatterns = [
    path("", views.works_list, name="list"),
    path("works.xlsx", views.works_export, name="export"),
    path("register/", views.register, name="register"),
    path("unregistered/", views.unregistered, name="unregistered"),
    path("map/layers.json", views.map_layers, name="map_layers"),
    path("public/<str:token>/", views.public, name="public"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notice/", views.issue_notice, name="notice"),
    path("<int:pk>/notice.pdf", views.notice_file, name="notice_pdf"),
    path("<int:pk>/inspect/", views.inspect, name="inspect"),
    path("<int:pk>/waste/", views.book_waste, name="waste"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
