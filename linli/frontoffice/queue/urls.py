from django.urls import path

from linli.frontoffice.queue import views

app_name = "queue"

urlpatterns = [
    path("", views.console, name="console"),
    path("counter/<int:pk>/", views.counter_page, name="counter"),
    path("counter/<int:pk>/<slug:action>/", views.counter_act, name="counter_act"),
    path("kiosk/<str:key>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:key>/issue/", views.kiosk_issue, name="kiosk_issue"),
    path("kiosk/<str:key>/appointment/", views.kiosk_appointment, name="kiosk_appointment"),
    path("screen/<str:key>/", views.screen, name="screen"),
    path("screen/<str:key>/board/", views.screen_board, name="screen_board"),
    path("t/<str:token>/", views.ticket_page, name="ticket"),
    path("t/<str:token>/status/", views.ticket_status, name="ticket_status"),
    path("t/<str:token>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("stats/", views.stats_page, name="stats"),
    path("stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:pk>/rotate/", views.rotate_key, name="rotate_key"),
]
