"""A screen reader reads a field's help and its errors through ``aria-describedby``: the ids
Django writes on the input must be the ids our field templates give the help and the errors."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string


class VisitForm(forms.Form):
    floor = forms.IntegerField(label="Floor", help_text="The floor of the flat")
    note = forms.CharField(label="Note", help_text="What you saw")


@pytest.mark.parametrize("template", ["_form_fields.html", "cases/_field.html"])
def test_help_and_errors_are_what_the_input_points_at(template) -> None:
    form = VisitForm({"floor": "three", "note": ""})
    assert not form.is_valid()
    if template == "_form_fields.html":
        html = render_to_string(template, {"form": form})
    else:
        html = "".join(render_to_string(template, {"field": field}) for field in form)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = re.findall(r'aria-describedby="([^"]*)"', html)
    assert described == ["id_floor_helptext id_floor_error", "id_note_helptext id_note_error"]
    assert {i for value in described for i in value.split()} <= ids
