from django.urls import path

from linli.enterprise.park import views

app_name = "park"

urlpatterns = [
    path("", views.home, name="home"),
    path("buildings/<int:pk>/", views.building, name="building"),
    path("buildings/<int:pk>/notices/new/", views.notice_new, name="notice_new"),
    path("buildings/<int:pk>/enterprises/", views.enterprises, name="enterprises"),
    path("buildings/<int:pk>/requests/", views.requests, name="requests"),
    path("notices/", views.notices, name="notices"),
    path("notices.xlsx", views.notices_export, name="notices_xlsx"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/forward/", views.request_forward, name="request_forward"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
]
