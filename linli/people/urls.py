from django.urls import path

from linli.people import import_views, views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/<int:pk>/unmask/<slug:kind>/", views.unmask, name="unmask"),
    path("dwelling/<int:pk>/", views.dwelling, name="dwelling"),
    path("import/", import_views.import_ledger_page, name="import"),
]
