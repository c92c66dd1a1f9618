"""The demo centre's catalog: at least 60 complete items in all three affairs groups, linked to
the demo's departments, sub-centres and enterprise-appeal categories."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from linli.cases.demo.catalogue import CATEGORIES, PARENTS
from linli.cases.models import Category
from linli.core.models import Organisation
from linli.demo.load import STEPS, _places, _subdistrict
from linli.frontoffice.catalog import demo
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.search import search
from linli.frontoffice.catalog.services import problems
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, FIRST_HOME
from linli.registry.demo.steps import load_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx() -> DemoContext:
    """The first home's organisations and case categories, which the catalog links to."""
    with scopes_disabled():
        places = _places(FIRST_HOME, DEMO_SEED)
        sd = _subdistrict(FIRST_HOME, places)
        context = DemoContext(home=FIRST_HOME, subdistrict=sd, places=places, seed=DEMO_SEED)
        load_organisations(context)
        parents = {
            p.code: Category.objects.create(subdistrict=sd, code=p.code, name=p.name, kind=p.kind)
            for p in PARENTS
        }
        for c in CATEGORIES:
            Category.objects.create(
                subdistrict=sd, code=c.code, name=c.name, kind=c.kind, parent=parents[c.parent]
            )
    return context


def test_the_demo_catalog_is_large_and_every_item_is_complete(ctx):
    with scopes_disabled():
        assert not demo.loaded(ctx)
        written = demo.load(ctx)
        assert demo.loaded(ctx)
    with scope(subdistrict=ctx.subdistrict):
        items = list(ServiceItem.objects.prefetch_related("subcentres"))
        assert written == len(items) >= 60
        assert {i.affairs for i in items} == set(Affairs.values)
        for item in items:
            assert problems(item, item.subcentres.all()) == {}, item.code
            assert item.name_en and item.keywords and item.topic, item.code
            assert item.search_name and item.search_keywords and item.search_body
        linked = {i.category.code for i in items if i.category_id}
        assert {"APP-START", "APP-LIC", "APP-POLICY", "APP-FIN", "APP-TALENT"} <= linked
        assert sum(i.by_terminal for i in items) >= 10
        subcentres = Organisation.objects.filter(kind=Organisation.Kind.SUBCENTRE)
        assert subcentres.count() == FIRST_HOME.subcentres
        for subcentre in subcentres:
            assert subcentre.catalog_items_served.count() >= 10


def test_the_demo_answers_the_searches_people_make(ctx):
    with scopes_disabled():
        demo.load(ctx)
    with scope(subdistrict=ctx.subdistrict):
        found = [i.name for i in search(ServiceItem.objects.all(), "yyzz")]
        assert len(found) > 5
        assert all(n.startswith("营业执照") for n in found[:5])
        assert not any(n.startswith("营业执照") for n in found[5:])
        # The housing-fund item by its keyword; the start-up package mentions it in its guide.
        found = [i.code for i in search(ServiceItem.objects.all(), "公积金开户")]
        assert found == ["GOV-FUND-OPEN", "GOV-BL-NEW"]


def test_the_catalog_is_loaded_after_the_case_categories_it_links_to():
    names = [step.name for step in STEPS]
    assert names.index("service catalog") > names.index("cases")
