from django.urls import path

from linli.governance.charging import views

app_name = "charging"

urlpatterns = [
    path("", views.repeats_page, name="repeats"),
    path("categories/", views.set_up_categories, name="set_up_categories"),
    path("coverage/", views.coverage_page, name="coverage"),
]
