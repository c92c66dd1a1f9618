from django.urls import path

from linli.governance.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.cases, name="list"),
    path("cases.xlsx", views.cases_xlsx, name="list_xlsx"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/agreement.pdf", views.agreement, name="agreement"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
