from django.urls import path

from linli.enterprise.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("enterprises.xlsx", views.portfolio_export, name="portfolio_xlsx"),
    path("visits/", views.visits, name="visits"),
    path("visits.xlsx", views.visits_export, name="visits_xlsx"),
    path("assign/", views.assign, name="assign"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_pk>/end/", views.plan_end, name="plan_end"),
    path("overdue/", views.overdue, name="overdue"),
    path("watchlist/", views.watch, name="watchlist"),
    path("watchlist.xlsx", views.watch_xlsx, name="watchlist_xlsx"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/visit/", views.visit, name="visit"),
    path("<int:pk>/notes/", views.note, name="note"),
    path("<int:pk>/group-service/", views.group_service, name="group_service"),
]
