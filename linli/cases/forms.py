"""Forms of the case pages. They render and read input; the verbs in ``services`` check it, and
their ``ValidationError`` comes back onto these forms field by field (``show_errors``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.cases import rules
from linli.cases.extra import EXTRA_TEXT_MAX, fields_of
from linli.cases.models import (
    Case,
    CaseEvent,
    CaseReporter,
    Category,
    CategoryField,
    Channel,
    CoHandler,
    RejectReason,
    Satisfaction,
)
from linli.cases.reporters import RATING_COMMENT_MAX
from linli.cases.triage import proposed_resolve_by
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.limits import max_length
from linli.core.models import Organisation
from linli.core.roles import ADMINS
from linli.registry.models import Building, Enterprise

# Which intake page takes which channels.
WEB, STAFF_ENTRY, PATROL, BUILDING = "web", "staff", "patrol", "building"
STAFF_ENTRY_CHANNELS = (Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN)


def category_label(category: Category | None) -> str:
    if category is None:
        return ""
    if get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def leaf_categories() -> list[Category]:
    """Active categories nobody files under a child of: the ones a report can take."""
    active = list(Category.objects.filter(active=True).select_related("parent"))
    parents = {c.parent_id for c in active if c.parent_id is not None}
    return [c for c in active if c.pk not in parents]


def category_choices(categories: list[Category]) -> list[Any]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in sorted(categories, key=lambda c: (c.parent.code if c.parent else "", c.code)):
        group = category_label(category.parent) if category.parent else str(_("Other"))
        groups.setdefault(group, []).append((category.code, category_label(category)))
    return [("", _("Choose…")), *groups.items()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos; the engine decodes each one and refuses what is not a photo."""

    def __init__(self, *args: Any, capture: bool = False, **kwargs: Any) -> None:
        attrs = {"accept": "image/jpeg,image/png,image/webp"}
        if capture:
            attrs["capture"] = "environment"
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IntakeForm(forms.Form):
    """Every intake page: the web form, staff entry, the patrol form, the building manager's."""

    category = forms.ChoiceField(label=_("What is it about?"))
    description = forms.CharField(
        label=_("What happened, and where exactly?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=max_length(Case, "description"),
    )
    title = forms.CharField(
        label=_("Short title"), required=False, max_length=max_length(Case, "title")
    )
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=max_length(Case, "address"),
        help_text=_("Put a pin on the map, or write the address."),
    )
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    photos = PhotosField(label=_("Photos"), help_text=_("JPEG, PNG or WebP, up to 10 MB each."))
    keep_location = forms.BooleanField(
        label=_("Keep the location stored in my photos"), required=False
    )

    def __init__(self, *args: Any, access: Access, variant: str = WEB, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        self.variant = variant
        enterprises = self._own_enterprises() if variant == WEB else None
        categories = leaf_categories()
        if variant == WEB and not rules.offered_enterprise_categories(access):
            # Residents and the public: enterprise appeals are for enterprises' people.
            categories = [c for c in categories if c.offered_to_residents]
        self.categories = {c.code: c for c in categories}
        # Declared on the class as a ChoiceField.
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = category_choices(list(self.categories.values()))
        if variant == WEB:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("Report anonymously"),
                required=False,
                help_text=_("Your name is not recorded; you get a secret link to follow the case."),
            )
            if enterprises:
                self.fields["enterprise"] = forms.ModelChoiceField(
                    enterprises,
                    label=_("On behalf of"),
                    required=False,
                    empty_label=_("Myself"),
                )
        if variant == STAFF_ENTRY:
            allowed = [c for c in STAFF_ENTRY_CHANNELS if rules.may_submit(access, c)]
            self.fields["channel"] = forms.ChoiceField(
                label=_("How did it come in?"),
                choices=[(c, Channel(c).label) for c in allowed],
            )
            self.fields["contact_name"] = forms.CharField(
                label=_("Caller's name"),
                required=False,
                max_length=max_length(CaseReporter, "name"),
            )
            self.fields["contact_phone"] = forms.CharField(
                label=_("Caller's mobile"),
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            )
            self.fields["contact_email"] = forms.EmailField(
                label=_("Caller's e-mail"),
                required=False,
                max_length=max_length(CaseReporter, "email"),
            )
            self.fields["enterprise_code"] = forms.CharField(
                label=_("Enterprise (credit code)"),
                required=False,
                max_length=18,
                help_text=_("For an enterprise's appeal: its unified social credit code."),
            )
        if variant in (STAFF_ENTRY, BUILDING):
            buildings = Building.objects.order_by("code")
            if variant == BUILDING and not access.has_any(ADMINS):
                buildings = buildings.filter(pk__in=access.linked_ids("building"))
            self.fields["building"] = forms.ModelChoiceField(
                buildings,
                label=_("Building"),
                required=variant == BUILDING,
                empty_label=_("Not in a building") if variant == STAFF_ENTRY else _("Choose…"),
            )
        if variant == PATROL:
            self.fields["photos"] = PhotosField(
                label=_("Photos"), capture=True, help_text=_("Take a photo of the problem.")
            )

    def _own_enterprises(self) -> Any:
        ids = self.access.linked_ids("enterprise")
        return Enterprise.objects.filter(pk__in=ids).order_by("name") if ids else None

    @property
    def chosen_channel(self) -> str:
        if self.variant == STAFF_ENTRY:
            return str(self.cleaned_data.get("channel") or Channel.HOTLINE_12345)
        return {WEB: Channel.WEB, PATROL: Channel.GRID_PATROL, BUILDING: Channel.BUILDING_MANAGER}[
            self.variant
        ]

    def chosen_category(self) -> Category | None:
        code = self.data.get("category") if self.is_bound else self.initial.get("category")
        return self.categories.get(code or "")

    def clean_enterprise_code(self) -> Enterprise | None:
        code = (self.cleaned_data.get("enterprise_code") or "").strip().upper()
        if not code:
            return None
        found = Enterprise.objects.filter(credit_code=code).first()
        if found is None:
            raise ValidationError(
                _("No enterprise here has the credit code “%(code)s”."), params={"code": code}
            )
        return found


class ExtraForm(forms.Form):
    """A category's typed extra fields, named ``extra_<key>``. Values go to the engine as
    typed, which checks them (numbers, dates, choices) and names the field that is wrong."""

    def __init__(
        self, category: Category | None, *args: Any, with_photos: bool = True, **kwargs: Any
    ) -> None:
        """``with_photos=False``: the category's photo questions are left to the form's one
        photo field (``photo_key``), so a report never asks for photos twice."""
        super().__init__(*args, **kwargs)
        specs = fields_of(category) if category is not None else []
        photo_specs = [s for s in specs if s.type == CategoryField.Type.PHOTO]
        self.photo_key = photo_specs[0].key if photo_specs and not with_photos else ""
        self.specs = specs if with_photos else [s for s in specs if s not in photo_specs]
        for spec in self.specs:
            self.fields[f"extra_{spec.key}"] = self._field(spec)

    @staticmethod
    def _field(spec: CategoryField) -> forms.Field:
        common: dict[str, Any] = {
            "label": spec.label,
            "required": False,
            "help_text": spec.help_text,
        }
        kind = spec.type
        if kind == CategoryField.Type.CHOICE:
            choices = [("", _("Choose…"))] + [
                (str(c.get("key")), str(c.get("name", c.get("key"))))
                if isinstance(c, dict)
                else (str(c), str(c))
                for c in spec.choices or []
            ]
            field: forms.Field = forms.CharField(widget=forms.Select(choices=choices), **common)
        elif kind == CategoryField.Type.NUMBER:
            field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
        elif kind == CategoryField.Type.DATE:
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == CategoryField.Type.PHOTO:
            field = PhotosField(**common)
        else:
            field = forms.CharField(max_length=EXTRA_TEXT_MAX, **common)
        field.widget.attrs["aria-required"] = "true" if spec.required else "false"
        field.is_required_extra = spec.required  # type: ignore[attr-defined]
        return field

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.specs:
            if spec.type == CategoryField.Type.PHOTO:
                continue
            value = self.data.get(f"extra_{spec.key}", "")
            if isinstance(value, str):
                value = value.strip()
            if value != "":
                out[spec.key] = value
        return out

    def photo_files(self) -> dict[str, list[Any]]:
        if not self.files:
            return {}
        found = {
            spec.key: self.files.getlist(f"extra_{spec.key}")
            for spec in self.specs
            if spec.type == CategoryField.Type.PHOTO
        }
        return {key: uploads for key, uploads in found.items() if uploads}


# --- the workbench's actions -------------------------------------------------------------


def note_field(label: Any = None, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        required=required,
        max_length=max_length(CaseEvent, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def reason_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        max_length=max_length(CaseEvent, "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.Form):
    """One verb's form on the case page; ``arguments`` is what the verb takes."""

    def __init__(self, *args: Any, case: Case, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.access = access

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = note_field()


class RequiredNoteForm(ActionForm):
    note = note_field(required=True)


class ReasonForm(ActionForm):
    reason = reason_field()


class RejectForm(ActionForm):
    reason = forms.ChoiceField(label=_("Why not"), choices=RejectReason.choices)
    note = note_field(_("Note to the reporter"))


def organisations() -> Any:
    return Organisation.objects.order_by("kind", "code")


# The order of the organisation picker's groups: the sub-district's own offices first, the
# places' organisations next, outside agencies last.
KIND_ORDER = [
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.DISPATCH_CENTRE,
    Organisation.Kind.SERVICE_CENTRE,
    Organisation.Kind.SUBCENTRE,
    Organisation.Kind.GRID_STATION,
    Organisation.Kind.COMMITTEE,
    Organisation.Kind.BUILDING_COMMITTEE,
    Organisation.Kind.AGENCY,
]


def organisation_groups(queryset: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The organisations as ``<optgroup>``s by kind, in ``KIND_ORDER``; within a kind those
    under one parent together, then by code."""
    found = list(queryset.select_related("parent"))
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    found.sort(
        key=lambda o: (
            rank.get(o.kind, len(rank)),
            o.parent.code if o.parent else "",
            o.code,
        )
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for o in found:
        groups.setdefault(o.kind, []).append((str(o.pk), o.name))
    return [(str(Organisation.Kind(kind).label), items) for kind, items in groups.items()]


class OrganisationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An organisation picker grouped by kind, with a filter box where scripts run
    (``cases/case_detail.js``). There is no empty line: the routing proposal is preselected,
    and where there is none the first line asks for a choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organisation.objects.none())
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault(
            "widget",
            forms.Select(
                attrs={
                    "class": "organisation-picker",
                    "data-filter": "",
                    "data-filter-label": _("Filter the organisations"),
                    "data-filter-placeholder": _("Type part of a name…"),
                    "data-filter-count": _("%(count)s match"),
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def offer(self, queryset: Any, proposed: int | None) -> None:
        """Offer ``queryset`` in groups, with a line asking for a choice only when nothing is
        proposed."""
        self.queryset = queryset
        head = [] if proposed else [("", _("Choose an organisation…"))]
        self.widget.choices = head + organisation_groups(queryset)  # type: ignore[attr-defined]


def to_local_input(moment: dt.datetime) -> str:
    """A moment as a ``datetime-local`` input's value: ISO, in the sub-district's zone."""
    return clock.local(moment).strftime("%Y-%m-%dT%H:%M")


class DeadlineField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DispatchForm(ActionForm):
    """派遣: the organisation (the routing proposal preselected), the resolution deadline (the
    category's limit on the work calendar proposed) and the instruction."""

    organisation = OrganisationField(label=_("Dispatch to"))
    deadline = DeadlineField(
        label=_("Resolve by"),
        required=False,
        help_text=_("Proposed from the category's time limit, on the work calendar."),
    )
    note = note_field(_("Instruction"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above, so its type is known.
        field = cast(OrganisationField, self.fields["organisation"])
        suggested = self.case.routed_organisation_id
        field.offer(organisations(), suggested)
        if not self.is_bound:
            if suggested:
                self.initial["organisation"] = suggested
            self.initial["deadline"] = to_local_input(self.proposed_deadline())

    def proposed_deadline(self) -> dt.datetime:
        now = clock.now()
        return proposed_resolve_by(
            self.case, WorkCalendar.for_subdistrict(self.case.subdistrict), now
        )

    def arguments(self) -> dict[str, Any]:
        return {
            "organisation": self.cleaned_data["organisation"],
            "resolve_by": self.cleaned_data.get("deadline"),
            "note": self.cleaned_data.get("note", ""),
        }


class RegisterDispatchForm(DispatchForm):
    """立案 and 派遣 in one submit, for a new case: the category (the reporter's preselected),
    then what the dispatch form asks."""

    category = forms.ChoiceField(label=_("Category"))
    field_order = ["category", "organisation", "deadline", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in leaf_categories()}
        self.categories.setdefault(self.case.category.code, self.case.category)
        field = cast(forms.ChoiceField, self.fields["category"])
        field.choices = category_choices(list(self.categories.values()))[1:]
        if not self.is_bound:
            self.initial["category"] = self.case.category.code

    def clean_category(self) -> Category:
        return self.categories[self.cleaned_data["category"]]

    def arguments(self) -> dict[str, Any]:
        chosen = self.cleaned_data["category"]
        return {
            **super().arguments(),
            "category": None if chosen.pk == self.case.category_id else chosen,
        }


class ExtensionRequestForm(ActionForm):
    reason = reason_field(_("Why more time is needed"))
    days = forms.IntegerField(label=_("How much more"), required=False, min_value=1)


class ApproveExtensionForm(ActionForm):
    note = note_field()
    days = forms.IntegerField(
        label=_("Grant (leave empty for what was asked)"), required=False, min_value=1
    )


class VerificationForm(ActionForm):
    note = note_field(_("What was done"), required=True)
    before = PhotosField(label=_("Photos before"))
    after = PhotosField(label=_("Photos after"))


class VerifyForm(ActionForm):
    note = note_field(_("What you saw on site"))
    photos = PhotosField(label=_("Photos"), capture=True)


class CallbackForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied is the reporter?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    resolved = forms.TypedChoiceField(
        label=_("Is the problem solved, in the reporter's words?"),
        choices=[("", _("Not asked")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    note = note_field()


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Merge into case number"), max_length=max_length(Case, "number"))
    note = note_field()

    def clean_into(self) -> Case:
        number = self.cleaned_data["into"].strip()
        found = Case.objects.visible_to(self.access).filter(number=number).first()
        if found is None:
            raise ValidationError(_("There is no case %(number)s."), params={"number": number})
        return found


class CoHandlerForm(ActionForm):
    organisation = OrganisationField(label=_("Organisation"))
    part = forms.CharField(
        label=_("Its part"),
        max_length=max_length(CoHandler, "part"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above, so its type is known.
        field = cast(OrganisationField, self.fields["organisation"])
        field.offer(organisations().exclude(pk=self.case.lead_organisation_id or 0), None)


class CompleteCoHandlingForm(ActionForm):
    co_handler = forms.ChoiceField(label=_("Part"))
    note = note_field(_("What your organisation did"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [
            c
            for c in self.case.co_handlers.filter(state="pending").select_related("organisation")
            if rules.may_complete_co_handling(self.access, c)
        ]
        # The field declared above, so its type is known.
        co_handler = cast(forms.ChoiceField, self.fields["co_handler"])
        co_handler.choices = [(str(c.pk), f"{c.organisation} · {c.part[:40]}") for c in self.rows]

    def clean_co_handler(self) -> Any:
        wanted = self.cleaned_data["co_handler"]
        return next(c for c in self.rows if str(c.pk) == wanted)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "register": NoteForm,
    "reject": RejectForm,
    "dispatch": DispatchForm,
    "register_dispatch": RegisterDispatchForm,
    "accept": NoteForm,
    "return": ReasonForm,
    "start_handling": NoteForm,
    "wait_for_reporter": RequiredNoteForm,
    "resume": NoteForm,
    "request_extension": ExtensionRequestForm,
    "approve_extension": ApproveExtensionForm,
    "deny_extension": ReasonForm,
    "submit_for_verification": VerificationForm,
    "rework": ReasonForm,
    "verify": VerifyForm,
    "record_callback": CallbackForm,
    "close": NoteForm,
    "reopen": ReasonForm,
    "register_long_term": ReasonForm,
    "merge": MergeForm,
    "add_co_handler": CoHandlerForm,
    "complete_co_handling": CompleteCoHandlingForm,
}


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to add?"),
        required=False,
        max_length=RATING_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkDispatchForm(forms.Form):
    cases = forms.MultipleChoiceField(label=_("Cases"), choices=())
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Dispatch to")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fields declared above, so their types are known.
        organisation = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
        organisation.queryset = organisations()
        wanted = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        cast(forms.MultipleChoiceField, self.fields["cases"]).choices = [(n, n) for n in wanted]
