from django.urls import path

from linli.cockpit import views

app_name = "cockpit"

urlpatterns = [
    path("", views.index, name="index"),
    path("buildings/export/", views.export, name="export"),
    path("buildings/<int:pk>/", views.building, name="building"),
]
