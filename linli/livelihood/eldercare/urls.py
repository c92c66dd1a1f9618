from django.urls import path

from linli.livelihood.eldercare import views

app_name = "eldercare"

urlpatterns = [
    path("", views.elders, name="elders"),
    path("elder/<int:pk>/", views.elder, name="elder"),
    path("order/<int:pk>/", views.order, name="order"),
    path("today/", views.today, name="today"),
    path("visit/<int:pk>/<slug:step>/", views.visit_step, name="visit"),
    path("hours/", views.hours, name="hours"),
    path("care-homes/", views.care_homes, name="care_homes"),
    path("statistics/", views.statistics_page, name="statistics"),
]
