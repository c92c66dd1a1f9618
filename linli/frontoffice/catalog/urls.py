from django.urls import path

from linli.frontoffice.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("<str:code>/", views.detail, name="detail"),
]
