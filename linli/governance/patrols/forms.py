"""Forms of the patrol pages. They read input; the verbs in ``services`` check it, and their
``ValidationError`` comes back onto these forms field by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from linli.cases.forms import PATROL, IntakeForm
from linli.governance.patrols.models import PatrolPlan, PatrolPoint
from linli.governance.patrols.services import PointSpec
from linli.registry.models import Grid

# One point per line: name, longitude, latitude and, optionally, the kind.
MAX_POINTS = 100


class PlanForm(forms.Form):
    grid: forms.ModelChoiceField[Grid] = forms.ModelChoiceField(
        queryset=None, label=_("Grid"), empty_label=_("Choose…")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    per_week = forms.IntegerField(
        label=_("Patrols a week"),
        required=False,
        min_value=1,
        max_value=21,
        help_text=_("Leave empty for the rule parameter in force."),
    )
    points = forms.CharField(
        label=_("Patrol points"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One point a line: name, longitude, latitude and, if you like, the kind "
            "(building, gate, market, street)."
        ),
    )

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]

    def clean_points(self) -> list[PointSpec]:
        lines = [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]
        if len(lines) > MAX_POINTS:
            raise ValidationError(_("At most %(n)d points a plan.") % {"n": MAX_POINTS})
        kinds = set(PatrolPoint.Kind.values)
        specs = []
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            try:
                name, lon, lat = parts[0], float(parts[1]), float(parts[2])
            except (IndexError, ValueError):
                raise ValidationError(
                    _("Line %(n)d: write name, longitude, latitude.") % {"n": number}
                ) from None
            kind = parts[3] if len(parts) > 3 and parts[3] in kinds else PatrolPoint.Kind.OTHER
            specs.append(PointSpec(name=name, lon=lon, lat=lat, kind=kind))
        return specs


class FindingForm(IntakeForm):
    """The case engine's patrol report form, with the point the finding was made at."""

    point: forms.ModelChoiceField[PatrolPoint] = forms.ModelChoiceField(
        queryset=None, label=_("At which point?"), required=False, empty_label=_("Elsewhere")
    )

    def __init__(self, *args: Any, plan: PatrolPlan, **kwargs: Any) -> None:
        super().__init__(*args, variant=PATROL, **kwargs)
        self.fields["point"].queryset = plan.points.all()  # type: ignore[attr-defined]
        for name in ("title", "keep_location"):
            self.fields.pop(name, None)
