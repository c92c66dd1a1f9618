from django.urls import path

from linli.enterprise.investment import views

app_name = "investment"

urlpatterns = [
    path("", views.board, name="board"),
    path("prospects.xlsx", views.export, name="export"),
    path("prospects/new/", views.create, name="create"),
    path("prospects/<int:pk>/", views.detail, name="prospect"),
    path("prospects/<int:pk>/edit/", views.edit, name="edit"),
    path("prospects/<int:pk>/move/", views.move, name="move"),
    path("prospects/<int:pk>/actions/", views.add_action, name="add_action"),
    path("prospects/<int:pk>/register/", views.register, name="register"),
    path("actions/<int:pk>/done/", views.complete_action, name="complete_action"),
    path("space/", views.space, name="space"),
    path("space/new/", views.unit_create, name="unit_create"),
    path("space/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
]
