from django.urls import path

from linli.enterprise.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans.xlsx", views.plans_xlsx, name="plans_xlsx"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("plans/<int:pk>/result/", views.record_result, name="record_result"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule.xlsx", views.schedule_xlsx, name="schedule_xlsx"),
    path("merge/", views.merge, name="merge"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/schedule/", views.visit_schedule, name="visit_schedule"),
    path("spared/", views.spared, name="spared"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
]
