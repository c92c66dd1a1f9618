"""``manage.py export_openapi``: print the API's OpenAPI document (committed as docs/openapi.json).

CI regenerates it and diffs against the committed file, so an API change is always a visible,
reviewed change to the contract.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from linli.web.api import api


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/ as stable, sorted JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        # The schema's texts come from lazy translations: pin the language for a stable file.
        with translation.override("en"):
            schema = api.get_openapi_schema(path_prefix="/api/")
        self.stdout.write(
            json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
        )
