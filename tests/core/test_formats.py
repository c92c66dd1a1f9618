"""Date fields keep their value for Chinese users: <input type="date"> only takes 2026-12-08."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation


class Pick(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_a_chinese_date_field_is_written_as_the_browser_reads_it() -> None:
    with translation.override("zh-hans"):
        html = str(
            Pick(initial={"day": dt.date(2026, 12, 8), "moment": dt.datetime(2026, 12, 8, 9, 30)})
        )
    assert 'value="2026-12-08"' in html
    assert 'value="2026-12-08T09:30"' in html


def test_what_the_browser_sends_and_the_old_spellings_are_read() -> None:
    with translation.override("zh-hans"):
        for day in ("2026-12-08", "2026/12/08"):
            form = Pick({"day": day, "moment": "2026-12-08T09:30"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == dt.date(2026, 12, 8)
