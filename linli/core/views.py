from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli.core import audit, audit_display, clock, rules, throttle, workbench
from linli.core import work_calendar as work_calendar_rules
from linli.core.calendar import seed_year
from linli.core.forms import HolidayNoticeForm, LoginForm, TokenForm, TotpConfirmForm
from linli.core.http import access_of, is_htmx, page_access, show_errors, subdistricts_of
from linli.core.middleware import SESSION_SUBDISTRICT
from linli.core.models import ApiToken, AuditEntry, Notification, User, WorkDay
from linli.core.roles import ADMINS
from linli.core.services import create_token, revoke_token, unmask_value


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        device = getattr(form, "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Password-reset mails are rate-limited: per requesting address (a clear message) and per
    e-mail address (silently: the page must not tell whether an account exists)."""

    def form_valid(self, form: Any) -> HttpResponse:
        if not throttle.allow(
            f"reset-ip:{throttle.client_ip(self.request)}",
            settings.PASSWORD_RESET_PER_IP,
            dt.timedelta(hours=1),
        ):
            form.add_error(
                None, _("Too many password-reset requests from here. Try again in an hour.")
            )
            return self.form_invalid(form)
        address = throttle.hashed(form.cleaned_data["email"])
        if not throttle.allow(
            f"reset-email:{address}", settings.PASSWORD_RESET_PER_EMAIL, dt.timedelta(hours=1)
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's workbench: the panels of each of their roles (``core.workbench``)."""
    return render(request, "core/home.html", {"panels": workbench.panels(access_of(request))})


@login_required
@require_POST
def switch_subdistrict(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("subdistrict", "")
    allowed = {str(s.pk): s for s in subdistricts_of(request)}
    if wanted not in allowed:
        raise Http404
    request.session[SESSION_SUBDISTRICT] = allowed[wanted].pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(_same_page_elsewhere(target) or "home")


def _same_page_elsewhere(target: str) -> str:
    """Where to land after switching: a record of the old sub-district would be a 404 in the
    new one, so a record page becomes the list of its kind (or home)."""
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return ""
    if "pk" not in match.kwargs:
        return target
    if match.namespace == "registry" and "kind" in match.kwargs:
        return reverse("registry:list", kwargs={"kind": match.kwargs["kind"]})
    return ""


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=cast(User, request.user))
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, user=cast(User, request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=clock.now())
    return redirect("inbox")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_read_audit_log(access))
    entries = AuditEntry.objects.filter(subdistrict=access.subdistrict).select_related("actor")
    if q := request.GET.get("q", "").strip():
        entries = entries.filter(object_repr__icontains=q)
    if action := request.GET.get("action", "").strip():
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.label = audit.label(entry.action)  # type: ignore[attr-defined]
        entry.changes = audit_display.in_words(entry)  # type: ignore[attr-defined]
    actions = sorted(((name, audit.label(name)) for name in audit.declared()), key=lambda a: a[1])
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "q": q, "action": action, "actions": actions},
    )


@login_required
@require_POST
def unmask(request: HttpRequest, kind: str, model: str, pk: int) -> HttpResponse:
    """Return one personal value in full, for roles that may see it; every call is audited."""
    value = unmask_value(access_of(request), kind=kind, model=model, pk=pk)
    if is_htmx(request):
        return HttpResponse(value)
    return JsonResponse({"value": value})


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="linli", confirmed=False)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("home")
        form.add_error("token", _("The authenticator code is wrong or has expired."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "core/totp_setup.html", {"form": form, "qr": qr, "enabled": enabled})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens (an administrator: every member's in the sub-district); a new
    token's key is on the page that answers its creation, once, and never again."""
    access = page_access(request)
    assert access.user is not None  # noqa: S101 - signed in
    is_admin = access.has_any(ADMINS)
    members = (
        User.objects.filter(memberships__subdistrict=access.subdistrict).distinct()
        if is_admin
        else User.objects.filter(pk=access.user.pk)
    )
    form = TokenForm(request.POST or None, members=members, initial={"user": access.user.pk})
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = create_token(
                access, user=form.cleaned_data["user"], name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            created = {"token": token, "key": key}
            form = TokenForm(members=members, initial={"user": access.user.pk})
    tokens = ApiToken.objects.visible_to(access).select_related("user").order_by("-id")
    response = render(
        request,
        "core/api_tokens.html",
        {"form": form, "created": created, "tokens": tokens, "is_admin": is_admin},
    )
    response["Cache-Control"] = "no-store"  # the key must not stay in any cache
    return response


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    token: ApiToken = get_object_or_404(
        ApiToken.objects.visible_to(access).select_related("user"), pk=pk
    )
    revoke_token(access, token)
    messages.success(request, _("The token no longer works."))
    return redirect("api_tokens")


@login_required
def work_calendar(request: HttpRequest) -> HttpResponse:
    """The holidays and swapped working days of this year and next, a warning while next year
    is still on the weekday rule, and the form that enters the State Council's notice."""
    access = page_access(request)
    access.require(rules.may_edit_calendar(access))
    today = clock.today()
    pending = work_calendar_rules.pending_year(today)
    form = HolidayNoticeForm(request.POST or None, initial={"year": pending or today.year + 1})
    if request.method == "POST" and form.is_valid():
        notice = work_calendar_rules.Notice(
            form.cleaned_data["year"],
            tuple(form.cleaned_data["holidays"]),
            tuple(form.cleaned_data["workdays"]),
        )
        changed = work_calendar_rules.apply_notice(access, notice)
        messages.success(
            request,
            _("The %(year)s calendar is updated: %(n)s days changed.")
            % {"year": notice.year, "n": len(changed)},
        )
        return redirect("work_calendar")
    years = []
    for year in (today.year, today.year + 1):
        seed_year(year)
        days = WorkDay.objects.filter(date__year=year)
        years.append({"year": year, "days": work_calendar_rules.off_days(days)})
    return render(
        request,
        "core/work_calendar.html",
        {"form": form, "pending": pending, "years": years},
    )
