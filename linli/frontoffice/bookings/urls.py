from django.urls import path

from linli.frontoffice.bookings import lists, views

app_name = "bookings"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("resources/<int:pk>/", views.resource, name="resource"),
    path("resources/<int:pk>/book/", views.book, name="book"),
    path("resources/<int:pk>/door/", views.door, name="door"),
    path("resources/<int:pk>/photo/", views.resource_photo, name="resource_photo"),
    path("enterprises/", views.enterprise_search, name="enterprise_search"),
    path("mine/", views.mine, name="mine"),
    path("list/", lists.booking_list, name="list"),
    path("list.xlsx", lists.booking_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("check-in/<str:token>/", views.checkin_booking, name="checkin_booking"),
    path("door/<str:token>/", views.checkin_door, name="checkin_door"),
    path("approvals/", views.approvals, name="approvals"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.resource_create, name="resource_create"),
    path("manage/<int:pk>/", views.resource_edit, name="resource_edit"),
    path("manage/<int:pk>/rotate/", views.rotate_resource, name="rotate_resource"),
    path("feeds/", views.feed_links, name="feeds"),
    path("feeds/rotate/", views.rotate_feed, name="rotate_feed"),
    path("feeds/<str:token>.ics", views.user_feed, name="user_feed"),
    path("feeds/resource/<str:token>.ics", views.resource_feed, name="resource_feed"),
]
