"""Residents and homes pages: the person search, a person, a dwelling, and the audited unmask
of a person's ID or mobile number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import htmx_partial, is_htmx, page_access
from linli.core.services import unmask_value
from linli.people import rules, services, timeline
from linli.people.filters import PersonFilter, found
from linli.people.models import Dwelling, LifeEvent, Person, TagKind
from linli.people.presenting import address_of, tags_in_force, visible_tags

PAGE_SIZE = 50
UNMASK_KINDS = ("phone", "resident_id")


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """The form is posted, so that an ID or mobile number typed in stays out of addresses,
    browser history and server logs; a name or address search may also come as a link."""
    access = page_access(request)
    access.require(rules.may_search_residents(access))
    data = request.POST if request.method == "POST" else request.GET
    filters, errors = from_query(PersonFilter, data)
    qs = found(access, filters) if not errors else Person.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(data.get("page"))
    query = QueryDict(mutable=True)
    for key in ("name", "address", "status", "tag", "aged_from", "archived"):
        if data.get(key):
            query[key] = data[key]
    today = clock.today()
    return render(
        request,
        htmx_partial(request, "people/search.html", "people/_results.html"),
        {
            "page": page,
            "rows": [(p, p.age_on(today), address_of(p.dwelling)) for p in page],
            "params": filters,
            "filter_errors": errors,
            "statuses": Person.Status.choices[:3],
            "tag_kinds": _searchable_tags(access),
            "may_import": rules.may_import_ledger(access),
            "may_see_archived": rules.may_see_archived(access),
            "query": query.urlencode(),
        },
    )


def _searchable_tags(access: Access) -> QuerySet[TagKind]:
    """The kinds a search may filter on: those the reader may see that are recorded as tags
    (an age-derived kind such as 60+ is searched by age instead)."""
    kinds = TagKind.objects.filter(from_age__isnull=True)
    return kinds if rules.sees_sensitive(access) else kinds.filter(sensitive=False)


def _history(access: Access, events: QuerySet[LifeEvent]) -> QuerySet[LifeEvent]:
    return events.filter(pk__in=LifeEvent.objects.visible_to(access).values("pk"))


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found_person = get_object_or_404(
        Person.objects.visible_to(access).select_related(
            "dwelling__unit__building__quarter", "household", "merged_into"
        ),
        pk=pk,
    )
    household = []
    if found_person.household_id is not None:
        household = list(
            Person.objects.visible_to(access)
            .filter(household_id=found_person.household_id, archived_on__isnull=True)
            .exclude(pk=found_person.pk)
            .exclude(status=Person.Status.MERGED)
        )
    tags = list(visible_tags(access, found_person).select_related("kind", "set_by", "ended_by"))
    consents = list(found_person.consents.visible_to(access))
    return render(
        request,
        "people/person.html",
        {
            "person": found_person,
            "age": found_person.age_on(clock.today()),
            "address": address_of(found_person.dwelling),
            "household": household,
            "tags_now": tags_in_force(access, found_person),
            "tags": tags,
            "consents": consents,
            "history": _history(access, services.person_history(found_person)),
            "services": timeline.person_timeline(found_person, access)[:100],
            "actions": _actions(access, found_person),
            "ending": {t.pk for t in tags if rules.may_end_tag(access, t)},
            "withdrawing": {c.pk for c in consents if rules.may_withdraw_consent(access, c)},
            "may_unmask_mobile": rules.may_unmask_person(access, found_person, "phone"),
            "may_unmask_id": rules.may_unmask_person(access, found_person, "resident_id"),
        },
    )


# What a person's page offers, each under the rule its verb checks (rules.may_*).
PERSON_ACTIONS = (
    ("people:move_in", rules.may_move_in, _("Move in")),
    ("people:move_out", rules.may_move_out, _("Move out")),
    ("people:death", rules.may_record_death, _("Record a death")),
    ("people:tag_new", rules.may_tag, _("Set a tag")),
    ("people:consent_new", rules.may_record_consent, _("Record a consent")),
    ("people:merge", rules.may_merge_person, _("Merge with another record")),
)


def _actions(access: Access, person: Person) -> list[tuple[str, str]]:
    return [
        (reverse(name, kwargs={"pk": person.pk}), str(label))
        for name, offered, label in PERSON_ACTIONS
        if offered(access, person)
    ]


@login_required
def dwelling(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found_dwelling = get_object_or_404(
        Dwelling.objects.visible_to(access).select_related("unit__building__quarter"), pk=pk
    )
    residents = (
        Person.objects.visible_to(access)
        .filter(dwelling=found_dwelling, archived_on__isnull=True)
        .exclude(status=Person.Status.MERGED)
        .order_by("status", "name")
    )
    return render(
        request,
        "people/dwelling.html",
        {
            "dwelling": found_dwelling,
            "building": found_dwelling.unit.building,
            "address": address_of(found_dwelling),
            "residents": residents,
            "owners": found_dwelling.ownerships.visible_to(access).select_related("person"),
            "rentals": found_dwelling.rentals.visible_to(access).prefetch_related("tenants"),
            "history": _history(access, services.dwelling_history(found_dwelling)),
            "may_move_here": rules.may_change(access, found_dwelling),
        },
    )


@login_required
@require_POST
def unmask(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A person's ID or mobile number in full, for the roles the register allows; audited.
    A person the reader may not see does not exist for them (404)."""
    access = page_access(request)
    if kind not in UNMASK_KINDS:
        raise Http404
    found_person = get_object_or_404(Person.objects.visible_to(access), pk=pk)
    value = unmask_value(access, kind=kind, model="person", pk=found_person.pk)
    if is_htmx(request):
        return HttpResponse(value)
    return JsonResponse({"value": value})
