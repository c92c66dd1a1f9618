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
from linli.core.data_rights import Person
from linli.core.models import ApiToken, User, WorkDay
from linli.core.pii import validate_mobile
from linli.core.throttle import client_address
from linli.core.work_calendar import Holiday


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
        address = client_address(self.request) if self.request is not None else None
        if address is not None and failures_from(address) >= settings.LOCKOUT_IP_FAILURES:
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


class HolidayNoticeForm(forms.Form):
    """The State Council's notice as published: one line per holiday, one per swapped day."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Holidays"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One line each: first day, last day and name, e.g. 2027-02-06 2027-02-13 春节"),
    )
    workdays = forms.CharField(
        label=_("Swapped working days (调休上班)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line each: the day and why, e.g. 2027-02-14 春节调休"),
    )

    def _lines(self, name: str) -> list[tuple[int, list[str]]]:
        text = self.cleaned_data.get(name) or ""
        return [(n, line.split()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]

    def _day(self, name: str, number: int, text: str) -> dt.date:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(
                _("Line %(n)s: “%(text)s” is not a date like 2027-02-06.")
                % {"n": number, "text": text[:20]}
            ) from None
        year = self.cleaned_data.get("year")
        if year is not None and day.year != year:
            raise forms.ValidationError(
                _("Line %(n)s: %(day)s is not in %(year)s.")
                % {"n": number, "day": day.isoformat(), "year": year}
            )
        return day

    def _name(self, number: int, words: list[str]) -> str:
        name = " ".join(words)
        limit = limits.max_length(WorkDay, "name")
        if len(name) > limit:
            raise forms.ValidationError(
                _("Line %(n)s: %(problem)s")
                % {"n": number, "problem": limits.too_long(limit, len(name))}
            )
        return name

    def clean_holidays(self) -> list[Holiday]:
        holidays = []
        for number, words in self._lines("holidays"):
            if len(words) < 3:
                raise forms.ValidationError(
                    _("Line %(n)s: give the first day, the last day and the name.") % {"n": number}
                )
            first = self._day("holidays", number, words[0])
            last = self._day("holidays", number, words[1])
            if last < first:
                raise forms.ValidationError(
                    _("Line %(n)s: the last day is before the first.") % {"n": number}
                )
            holidays.append(Holiday(first, last, self._name(number, words[2:])))
        return holidays

    def clean_workdays(self) -> list[tuple[dt.date, str]]:
        days = []
        for number, words in self._lines("workdays"):
            day = self._day("workdays", number, words[0])
            days.append((day, self._name(number, words[1:])))
        return days


class PersonForm(forms.Form):
    """Whom a personal-data request is about, and why it is answered (PIPL ch. IV)."""

    username = forms.CharField(label=_("Account (user name)"), required=False, max_length=150)
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_(
            "The person's request (when, how identity was checked), or the law that allows it. "
            "It goes into the audit log."
        ),
    )

    def clean_username(self) -> User | None:
        name = self.cleaned_data.get("username", "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No account has this user name."), code="unknown")
        return user

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        return validate_mobile(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(cleaned.get(k) for k in ("username", "phone", "email")):
            raise forms.ValidationError(
                _("Name the person: their account, mobile number or e-mail address."),
                code="nobody",
            )
        return cleaned

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(user=data.get("username"), phone=data["phone"], email=data["email"])


class CorrectionForm(PersonForm):
    holder = forms.CharField(widget=forms.HiddenInput, max_length=60)
    row = forms.IntegerField(widget=forms.HiddenInput)
    attribute = forms.CharField(widget=forms.HiddenInput, max_length=60)
    value = forms.CharField(label=_("Correct value"), required=False, max_length=254)


class ErasureForm(PersonForm):
    confirm = forms.BooleanField(
        label=_(
            "I have checked who is asking, and no law requires keeping these details. Erasure "
            "cannot be undone."
        )
    )


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO (``2027-01-01``), whatever the language,
    since the browser shows it in the reader's own format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ParameterVersionForm(forms.Form):
    """A new value of one rule number, the date it applies from and where it comes from."""

    value = forms.CharField(label=_("New value"), max_length=40)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("The rule, notice or decision this value comes from."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
