"""The forms of the residents' verbs. They only shape the input: every rule (dates, consent for
sensitive tags, who may do what) is the verb's, whose errors the views put on these fields
(``linli.core.http.show_errors``), so field names follow the verbs' arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.forms import DateInput
from linli.people.models import ConsentRecord, Dwelling, LifeEvent, Person, PersonTag, TagKind

SHOWN_CANDIDATES = 20


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("Note"), required=False, max_length=limits.max_length(LifeEvent, "note")
    )


class MoveOutForm(forms.Form):
    on = _date(_("Moved out on"))
    note = _note()


class DeathForm(forms.Form):
    on = _date(_("Date of death"))
    note = _note()


class PickerForm(forms.Form):
    """A form with a record to pick. The button named ``find`` only searches and shows what it
    found: such a post checks only the search's own fields (an overlong term is refused on its
    field, and nothing is searched), the rest waits for the real submit. Any record the reader
    may pick is accepted (an ID number searched for is not sent again), and the one picked stays
    offered when the form comes back with errors."""

    pick_field = ""
    search_fields: tuple[str, ...] = ()

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.only_searching = data is not None and "find" in data
        super().__init__(data, *args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        if self.only_searching:
            for name in [n for n in self.errors if n not in self.search_fields]:
                del self.errors[name]

    def terms(self) -> dict[str, str] | None:
        """The search terms of a post that only searches, cleaned by their fields; None when
        there is no search or one of its terms was refused."""
        if not self.only_searching or not self.is_valid():
            return None
        return {name: self.cleaned_data[name] for name in self.search_fields}

    def offer(self, allowed: QuerySet[Any], found: QuerySet[Any], label: Any) -> None:
        field = self.fields[self.pick_field]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so below
        field.queryset = allowed
        shown = list(found[:SHOWN_CANDIDATES])
        picked = str(
            (self.data if self.is_bound else self.initial).get(self.add_prefix(self.pick_field))
            or ""
        )
        if picked.isdigit() and all(str(c.pk) != picked for c in shown):
            shown = [*allowed.filter(pk=int(picked)), *shown]
        field.widget.choices = [(c.pk, label(c)) for c in shown]
        field.help_text = (
            _("Nothing found yet: search first.")
            if not shown
            else _("The first %(n)s found are shown; search more precisely if yours is missing.")
            % {"n": SHOWN_CANDIDATES}
        )


class MoveInForm(PickerForm):
    pick_field = "dwelling"
    search_fields = ("address",)
    address = forms.CharField(
        label=_("Find the dwelling"),
        required=False,
        max_length=100,
        help_text=_("Quarter, building, unit or dwelling number."),
    )
    dwelling: forms.ModelChoiceField[Dwelling] = forms.ModelChoiceField(
        label=_("Dwelling"), queryset=Dwelling.objects.none(), widget=forms.RadioSelect
    )
    on = _date(_("Moved in on"))


def _find_name() -> forms.CharField:
    return forms.CharField(label=_("Name, or part of it"), required=False, max_length=50)


class NotEchoed(forms.TextInput):
    """An input whose value is never written back into the page: a whole ID number typed in
    to search must not come back unmasked (``tests/people/test_pii_scan.py``)."""

    def format_value(self, value: Any) -> None:
        return None


def _find_id() -> forms.CharField:
    """Posted, never in the address: an ID number stays out of logs and history."""
    return forms.CharField(
        label=_("ID number (whole)"),
        required=False,
        max_length=30,
        widget=NotEchoed(attrs={"autocomplete": "off"}),
    )


class MoveHereForm(PickerForm):
    """Moving in, from the dwelling's page: the person is the one to find."""

    pick_field = "person"
    search_fields = ("find_name", "find_id")
    find_name = _find_name()
    find_id = _find_id()
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), widget=forms.RadioSelect
    )
    on = _date(_("Moved in on"))


class MergeForm(PickerForm):
    pick_field = "absorb"
    search_fields = ("find_name", "find_id")
    find_name = _find_name()
    find_id = _find_id()
    absorb: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("The other record of this person"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why these records are one person"),
        max_length=limits.max_length(LifeEvent, "note"),
    )


class SetTagForm(forms.Form):
    kind: forms.ModelChoiceField[TagKind] = forms.ModelChoiceField(
        label=_("Tag"), queryset=TagKind.objects.none()
    )
    grade = forms.CharField(
        label=_("Grade"),
        required=False,
        max_length=limits.max_length(PersonTag, "grade"),
        help_text=_("For tags with a grade (disability, care needs)."),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(v, label) for v, label in PersonTag.Source.choices if v != "birth_date"],
    )
    valid_from = _date(_("Valid from"))
    valid_until = _date(_("Valid until"), required=False)
    reason = forms.CharField(label=_("Why"), max_length=limits.max_length(PersonTag, "reason"))
    consent: forms.ModelChoiceField[ConsentRecord] = forms.ModelChoiceField(
        label=_("Consent it rests on"),
        queryset=ConsentRecord.objects.none(),
        required=False,
        help_text=_("Sensitive tags need the person's consent or a legal basis."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=limits.max_length(PersonTag, "legal_basis"),
        help_text=_("For a sensitive tag without consent: the law that allows it."),
    )

    def __init__(
        self,
        *args: Any,
        kinds: QuerySet[TagKind],
        consents: QuerySet[ConsentRecord],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        consent = self.fields["consent"]
        assert isinstance(kind, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(consent, forms.ModelChoiceField)  # noqa: S101 - declared above
        kind.queryset = kinds
        consent.queryset = consents


class EndTagForm(forms.Form):
    on = _date(_("Ended on"))
    reason = forms.CharField(
        label=_("Why it ends"), max_length=limits.max_length(PersonTag, "end_reason")
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentRecord.Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsentRecord.Channel.choices)
    given_on = _date(_("Given on"))


class WithdrawConsentForm(forms.Form):
    on = _date(_("Withdrawn on"))
