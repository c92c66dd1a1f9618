"""The OpenAPI document names each schema once: two schemas with one name would overwrite each
other in ``components``, and clients generated from it would read the wrong fields."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from linli.web.api import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_api_schema_name_is_unique():
    assert api.urls  # the routers and their schemas are imported
    modules = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("linli."):
            modules[schema.__name__].add(schema.__module__)
    clashes = {name: sorted(mods) for name, mods in modules.items() if len(mods) > 1}
    assert not clashes, f"schema names used by more than one module: {clashes}"


def test_the_registry_map_layers_keep_their_own_schema():
    document = api.get_openapi_schema()
    response = document["paths"]["/api/v1/registry/map-layers"]["get"]["responses"][200]
    name = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "layers" in document["components"]["schemas"][name]["properties"]
    assert "subdistrict" in document["components"]["schemas"][name]["properties"]
