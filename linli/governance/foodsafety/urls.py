from django.urls import path

from linli.governance.foodsafety import views

app_name = "foodsafety"

urlpatterns = [
    path("", views.establishments, name="list"),
    path("establishments.xlsx", views.establishments_xlsx, name="list_xlsx"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.establishment, name="establishment"),
    path("<int:pk>/grade/", views.grade, name="grade"),
    path("<int:pk>/rectify/", views.rectify, name="rectify"),
    path("rectifications/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("generate/", views.generate, name="generate"),
    path("statistics/", views.statistics_page, name="statistics"),
]
