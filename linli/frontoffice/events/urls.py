from django.urls import path

from linli.frontoffice.events import lists, views

app_name = "events"

urlpatterns = [
    path("", lists.event_list, name="list"),
    path("list.xlsx", lists.event_export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/calendar.ics", views.event_ics, name="ics"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:pk>/accept/", views.accept, name="accept"),
    path("registrations/<int:pk>/rate/", views.rate, name="rate"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.edit, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel_event, name="cancel_event"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("registrations/<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("scan/<str:code>/", views.scan, name="scan"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
]
