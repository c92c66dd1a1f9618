"""The reporter's side: their cases, the page after reporting (with the secret tracking link,
shown once), the tracking link itself, and rating a closed case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from linli.cases import services
from linli.cases.forms import RatingForm
from linli.cases.models import Case, CaseAttachment, CaseEvent, CaseReporter
from linli.cases.presenting import STATE_TONES
from linli.cases.views.case import reporter_page, visible_case
from linli.cases.workflow import InvalidTransition
from linli.core.access import Access
from linli.core.http import page_access, show_errors, uploaded_file
from linli.core.roles import STAFF

PAGE_SIZE = 25
TRACKING_SESSION_KEY = "cases_tracking_link"


@login_required
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    held = request.session.get(TRACKING_SESSION_KEY) or {}
    token = held.get("token", "") if held.get("number") == number else ""
    if token:
        # Shown once: the page keeps no copy of the secret link.
        del request.session[TRACKING_SESSION_KEY]
        case = services.case_for_tracking_token(token)
        if case is None:
            raise Http404
    else:
        case = visible_case(access, number)
    link = (
        request.build_absolute_uri(reverse("cases:track", kwargs={"token": token})) if token else ""
    )
    return render(request, "cases/submitted.html", {"case": case, "tracking_link": link})


def mine(access: Access) -> QuerySet[Case]:
    """ "My cases": for staff, those they reported; for everyone else every case they may see
    (reported by them, assigned to them, or, for a building manager, those their committee
    leads or co-handles): the same cases as ``GET /api/v1/cases`` gives them."""
    cases = Case.objects.visible_to(access)
    if access.has_any(STAFF):
        assert access.user is not None  # noqa: S101 - signed in
        cases = cases.filter(pk__in=CaseReporter.objects.filter(user=access.user).values("case_id"))
    return cases


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    assert access.user is not None  # noqa: S101 - signed in
    cases = (
        mine(access).select_related("category", "lead_organisation").order_by("-received_at", "-id")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rated = set(
        CaseEvent.objects.filter(
            case__in=[c.pk for c in page.object_list], action="rate", actor=access.user
        ).values_list("case_id", flat=True)
    )
    return render(
        request,
        "cases/mine.html",
        {"page": page, "rated": rated, "tones": STATE_TONES},
    )


def track(request: HttpRequest, token: str) -> HttpResponse:
    """The secret tracking link of a reporter without an account; it can also rate."""
    with scopes_disabled():
        case = services.case_for_tracking_token(token)
    if case is None:
        raise Http404
    with scope(subdistrict=case.subdistrict):
        access = Access.anonymous(case.subdistrict)
        form = None
        if request.method == "POST":
            form = RatingForm(request.POST)
            # A refusal is shown on the page itself: this visitor has no page to go back to.
            if form.is_valid() and _rate(request, case, access, form, token=token) == "rated":
                return redirect("cases:track", token=token)
        return reporter_page(request, case, access=access, token=token, rating_form=form)


def track_file(request: HttpRequest, token: str, pk: int) -> FileResponse:
    with scopes_disabled():
        case = services.case_for_tracking_token(token)
        if case is None:
            raise Http404
        attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    return uploaded_file(attachment.file, attachment.content_type)


def _rate(
    request: HttpRequest, case: Case, access: Access, form: RatingForm, *, token: str = ""
) -> str:
    """Rate through the verb: "rated", "refused" (a message says why) or "invalid" (the form
    shows why)."""
    try:
        services.rate_case(
            case,
            actor=access,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            token=token,
        )
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return "refused"
    except ValidationError as exc:
        show_errors(exc, form)
        return "invalid"
    messages.success(request, _("Thank you for rating how your case was handled."))
    return "rated"


@login_required
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    case = visible_case(access, number)
    form = RatingForm(request.POST)
    if form.is_valid() and _rate(request, case, access, form) != "invalid":
        return redirect("cases:detail", number=number)
    return reporter_page(request, case, access=access, rating_form=form)
