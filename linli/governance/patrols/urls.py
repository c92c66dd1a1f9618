from django.urls import path

from linli.governance.patrols import views

app_name = "patrols"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.patrol, name="patrol"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/finding/", views.finding, name="finding"),
    path("<int:pk>/end/", views.end, name="end"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage.xlsx", views.coverage_xlsx, name="coverage_xlsx"),
]
