import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device

from linli.core import clock, limits
from linli.core.models import ApiToken, User
from linli.core.throttle import client_ip


def failures_from(ip: str) -> int:
    """Failed sign-ins from one address, over every username, within the lockout time."""
    since = clock.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


class LoginForm(AuthenticationForm):
    """Username and password, plus the TOTP code for people who enrolled a device.

    django-axes locks a username at one address after a few failures; on top of that, an
    address that fails often across many usernames pauses (``LOCKOUT_IP_FAILURES``)."""

    def clean(self) -> dict[str, Any]:
        if self.request is not None and failures_from(client_ip(self.request)) >= (
            settings.LOCKOUT_IP_FAILURES
        ):
            raise forms.ValidationError(
                _("Too many failed sign-ins from this network. Try again in %(minutes)s minutes.")
                % {"minutes": int(settings.AXES_COOLOFF_TIME * 60)},
                code="ip_throttled",
            )
        return super().clean()

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you turned on two-step sign-in."),
    )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user_has_device(user):
            token = (self.cleaned_data.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(
                    _("Enter the code from your authenticator app."), code="otp_required"
                )
            device = match_token(user, token)
            if device is None:
                raise forms.ValidationError(
                    _("The authenticator code is wrong or has expired."), code="otp_invalid"
                )
            self.otp_device = device


class TotpConfirmForm(forms.Form):
    token = forms.CharField(label=_("Authenticator code"), max_length=8)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=limits.max_length(ApiToken, "name"),
        help_text=_("What will use it, e.g. “12345 hotline bridge”."),
    )
    user = forms.ModelChoiceField(label=_("For"), queryset=User.objects.none())

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members.order_by("username")  # type: ignore[attr-defined]
        if members.count() == 1:
            self.fields["user"].widget = forms.HiddenInput()
