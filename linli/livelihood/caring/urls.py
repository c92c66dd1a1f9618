from django.urls import path

from linli.livelihood.caring import views

app_name = "caring"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("plans/", views.plans, name="plans"),
    path("plans/generate/", views.generate, name="generate"),
    path("plan/<int:pk>/", views.plan, name="plan"),
    path("plan/<int:pk>/log/", views.log, name="log"),
    path("plan/<int:pk>/assign/", views.assign, name="assign"),
    path("plan/<int:pk>/end/", views.end, name="end"),
    path("weather/", views.weather_page, name="weather"),
    path("weather/<int:pk>/cancel/", views.weather_cancel, name="weather_cancel"),
    path("alert/", views.alert, name="alert"),
    path("companions/", views.companions, name="companions"),
    path("companions/member/<int:pk>/log/", views.companion_log, name="companion_log"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
]
