"""What a demo step gets: the home it loads, that home's sub-district and place plan, the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from linli.core.demo import demo_rng
from linli.core.models import Subdistrict, TenantModel
from linli.registry.demo.geography import PlacePlan
from linli.registry.demo.homes import DemoHome


@dataclass
class DemoContext:
    home: DemoHome
    subdistrict: Subdistrict
    places: PlacePlan
    seed: int

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)

    def ids(self, model: type[TenantModel], key: str = "code") -> dict[str, int]:
        rows = model.objects.filter(subdistrict=self.subdistrict).values_list(key, "id")
        return dict(rows)
