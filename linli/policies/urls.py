from django.urls import path

from linli.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("rules/<slug:policy_id>/", views.detail, name="detail"),
    path("rules/<slug:policy_id>/export/", views.export, name="export"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/apply/<slug:policy_id>/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("unclaimed/", views.unclaimed, name="unclaimed"),
    path("unclaimed/export/", views.unclaimed_export, name="unclaimed_export"),
    path("screen/", views.screen, name="screen"),
]
