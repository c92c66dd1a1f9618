from django.urls import path

from linli.livelihood.meals import views

app_name = "meals"

urlpatterns = [
    path("", views.points, name="points"),
    path("day/", views.day, name="day"),
    path("order/", views.order, name="order"),
    path("order/<int:pk>/serve/", views.serve, name="serve"),
    path("order/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.export, name="export"),
]
