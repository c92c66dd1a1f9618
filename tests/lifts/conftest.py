from __future__ import annotations

import pytest
from django_scopes import scope

from linli.core.access import Access
from tests.factories import QuarterFactory


@pytest.fixture
def system(subdistrict):
    with scope(subdistrict=subdistrict):
        yield Access.system(subdistrict)


@pytest.fixture
def quarter(subdistrict):
    return QuarterFactory(subdistrict=subdistrict)
