from django.urls import path

from linli.registry import import_views, views

app_name = "registry"

urlpatterns = [
    path("map/", views.area_map, name="map"),
    path("places/search.json", views.place_search, name="place_search"),
    path("places/<str:code>/search.json", views.public_place_search, name="public_place_search"),
    path("<slug:kind>/", views.record_list, name="list"),
    path("<slug:kind>/new/", views.record_form, name="create"),
    path("<slug:kind>/export/", views.record_export, name="export"),
    path("<slug:kind>/import/", import_views.record_import, name="import"),
    path("<slug:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:kind>/<int:pk>/edit/", views.record_form, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.record_delete, name="delete"),
]
