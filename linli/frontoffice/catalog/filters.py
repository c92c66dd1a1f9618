"""The filters of the catalog's lists, one definition for the pages and the API
(``linli.core.filters``): the catalog by affairs group and channel, and the search."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import Schema
from pydantic import Field, field_validator

from linli.core.filters import ListFilter
from linli.frontoffice.catalog.models import Affairs

CHANNEL_FIELDS = {"terminal": "by_terminal", "window": "by_window", "online": "by_online"}
QUERY_LENGTH = 100
# The best matches a search shows; the answer says how many matched in all.
SEARCH_LIMIT = 50


class CatalogFilter(ListFilter):
    """Items of one affairs group, and those that can be done through one channel."""

    affairs: str = Field("", description="government, social or business")
    channel: str = Field("", description="terminal, window or online")

    @field_validator("affairs")
    @classmethod
    def _known_affairs(cls, value: str) -> str:
        if value and value not in Affairs.values:
            raise ValueError("unknown affairs group")
        return value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if value and value not in CHANNEL_FIELDS:
            raise ValueError("unknown channel")
        return value

    def filter_affairs(self, value: str) -> Q:
        return Q(affairs=value) if value else Q()

    def filter_channel(self, value: str) -> Q:
        return Q(**{CHANNEL_FIELDS[value]: True}) if value else Q()


class SearchQuery(Schema):
    """What was typed in the search box: Chinese words, pinyin or pinyin initials."""

    q: Annotated[str, Field(max_length=QUERY_LENGTH)] = ""
