from django.urls import path

from linli.governance.lifts import views

app_name = "lifts"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("open/", views.open_project, name="open"),
    path("statistics/", views.stats, name="stats"),
    path("statistics.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("map/layers.json", views.map_layers, name="map_layers"),
    path("progress/<str:token>/", views.public, name="public"),
    path("<int:pk>/", views.project, name="project"),
    path("<int:pk>/poster/", views.poster, name="poster"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/cost/", views.cost, name="cost"),
    path("<int:pk>/mediation/", views.mediation, name="mediation"),
    path("<int:pk>/document/", views.document, name="document"),
    path("<int:pk>/document/<int:document_pk>/", views.document_file, name="document_file"),
]
