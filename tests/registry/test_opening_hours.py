"""Facilities' opening hours read as words in both languages, and anything the words would
misstate is shown as written."""

from __future__ import annotations

import pytest
from django.utils import translation

from linli.registry.opening_hours import in_words


@pytest.mark.parametrize(
    ("written", "english", "chinese"),
    [
        (
            "Mo-Fr 08:00-16:30; Sa 08:00-11:30",
            "Mon–Fri 08:00–16:30; Sat 08:00–11:30",
            "周一至周五 08:00–16:30；周六 08:00–11:30",
        ),
        (
            "Mo,We 09:00-12:00,13:30-17:00; Su off",
            "Mon, Wed 09:00–12:00, 13:30–17:00; Sun closed",
            "周一、周三 09:00–12:00、13:30–17:00；周日 休息",
        ),
        ("24/7", "open around the clock", "全天开放"),
        (
            "06:00-22:00; PH off",
            "daily 06:00–22:00; closed on public holidays",
            "每天 06:00–22:00；法定节假日休息",
        ),
    ],
)
def test_hours_in_words(written, english, chinese) -> None:
    with translation.override("en"):
        assert in_words(written) == english
    with translation.override("zh-hans"):
        assert in_words(written) == chinese


@pytest.mark.parametrize("written", ["Jan-Mar Mo-Fr 08:00-17:00", "sunrise-sunset", "Mo-Fr 8-17"])
def test_what_the_words_would_misstate_is_shown_as_written(written) -> None:
    assert in_words(written) == written
