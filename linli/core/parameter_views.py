"""The rule numbers of the sub-district: what is in force, what comes next, and the form that
records a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core import clock, parameters, rules
from linli.core.forms import ParameterVersionForm
from linli.core.http import page_access, show_errors
from linli.core.models import RuleParameter
from linli.core.services import set_parameter


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(rules.PARAMETER_READERS))
    today = clock.today()
    rows = []
    for key, parameter in sorted(parameters.declared().items()):
        line = parameters.timeline(key)
        upcoming = [v for v in line.versions if v.effective_from and v.effective_from > today]
        rows.append({"parameter": parameter, "now": line.at(today), "upcoming": upcoming})
    return render(
        request,
        "core/parameters.html",
        {"rows": rows, "may_set": rules.may_set_parameters(access)},
    )


@login_required
def parameter_detail(request: HttpRequest, key: str) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(rules.PARAMETER_READERS))
    try:
        parameter = parameters.get(key)
    except KeyError:
        raise Http404 from None
    may_set = rules.may_set_parameters(access)
    form = ParameterVersionForm(request.POST or None)
    if request.method == "POST":
        access.require(may_set)
        if form.is_valid():
            try:
                set_parameter(access, key=key, **form.cleaned_data)
            except ValidationError as exc:
                show_errors(exc, form)
            else:
                messages.success(request, _("The new value is recorded."))
                return redirect("parameter_detail", key=key)
    versions = (
        RuleParameter.objects.visible_to(access, "view")
        .filter(key=key)
        .select_related("recorded_by")
        .order_by("-effective_from", "-pk")
    )
    return render(
        request,
        "core/parameter.html",
        {
            "parameter": parameter,
            "now": parameters.value(key),
            "versions": versions,
            "form": form if may_set else None,
        },
    )
