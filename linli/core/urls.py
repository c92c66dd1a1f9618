from django.contrib.auth import views as auth_views
from django.urls import path

from linli.core import data_rights_views, health, parameter_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("metrics", health.metrics, name="metrics"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-step/", views.totp_setup, name="totp_setup"),
    path("switch/", views.switch_subdistrict, name="switch_subdistrict"),
    path("inbox/", views.inbox, name="inbox"),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("audit/", views.audit_log, name="audit_log"),
    path("calendar/", views.work_calendar, name="work_calendar"),
    path("parameters/", parameter_views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", parameter_views.parameter_detail, name="parameter_detail"),
    path("me/data/", data_rights_views.my_data, name="my_data"),
    path("me/data/export/", data_rights_views.my_data_export, name="my_data_export"),
    path("me/data/consents/<str:purpose>/", data_rights_views.my_consent, name="my_consent"),
    path("data-rights/", data_rights_views.data_rights_page, name="data_rights"),
    path("data-rights/correct/", data_rights_views.data_rights_correct, name="data_rights_correct"),
    path("data-rights/erase/", data_rights_views.data_rights_erase, name="data_rights_erase"),
    path("unmask/<slug:model>/<slug:kind>/<int:pk>/", views.unmask, name="unmask"),
]
