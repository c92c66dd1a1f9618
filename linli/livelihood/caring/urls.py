from django.urls import path

from linli.livelihood.caring import companion_views, views

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
    path("companions/", companion_views.companions, name="companions"),
    path("companions/new/", companion_views.group_new, name="companion_new"),
    path("companions/<int:pk>/", companion_views.group, name="companion_group"),
    path("companions/<int:pk>/add/", companion_views.group_add, name="companion_add"),
    path("companions/<int:pk>/end/", companion_views.group_end, name="companion_end"),
    path("companions/member/<int:pk>/log/", companion_views.companion_log, name="companion_log"),
    path(
        "companions/member/<int:pk>/remove/",
        companion_views.group_remove,
        name="companion_remove",
    ),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
]
