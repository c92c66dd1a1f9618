"""A page's filter form sends a select left at "all" as an empty value: that filter is unset,
and the others still apply (it used to be refused, dropping every filter of the list)."""

from __future__ import annotations

from django.http import QueryDict

from linli.core.filters import from_query
from linli.frontoffice.bookings.filters import ResourceFilter
from linli.frontoffice.events.filters import EventFilter


def test_an_empty_select_is_no_filter_and_the_others_still_apply() -> None:
    filters, errors = from_query(ResourceFilter, QueryDict("kind=&place=&min_capacity=12"))

    assert errors == {}
    assert (filters.kind, filters.place, filters.min_capacity) == (None, None, 12)


def test_an_empty_field_takes_its_default() -> None:
    filters, errors = from_query(EventFilter, QueryDict("upcoming=&q="))

    assert errors == {}
    assert filters.upcoming is True


def test_a_wrong_value_is_still_refused_by_name() -> None:
    filters, errors = from_query(ResourceFilter, QueryDict("place=x&min_capacity=12"))

    assert set(errors) == {"place"}
    assert filters.min_capacity is None  # nothing filtered while the form shows the error
