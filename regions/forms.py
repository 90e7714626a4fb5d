"""Forms of the public region pages."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from regions.models import Commodity, DevelopmentGoal, LegacyType
from regions.similarity import Profile, described_profile


def _country_choices() -> list[tuple[str, str]]:
    return [("", _("Any country")), *((c.code, c.name) for c in countries)]


class CountryChoiceField(forms.ChoiceField):
    """An ISO 3166 code, in either case (`de`, `DE`), as the API's filters take it."""

    def to_python(self, value):
        return super().to_python(value).upper()

    def prepare_value(self, value):
        # The choice shows as chosen whichever case the address gave.
        return value.upper() if isinstance(value, str) else value


class RegionMatchForm(forms.Form):
    """“Regions like mine”: someone describes their own region, in a GET form.

    The API's match endpoint takes the same parameters and validates them with
    this form, so the page and the API refuse the same input with the same words.
    """

    country = CountryChoiceField(
        label=_("Country"), choices=_country_choices, required=False
    )
    legacy_type = forms.ModelMultipleChoiceField(
        label=_("What mining left behind"),
        queryset=LegacyType.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commodity = forms.ModelMultipleChoiceField(
        label=_("What was mined"),
        queryset=Commodity.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goal = forms.ModelMultipleChoiceField(
        label=_("Development goals"),
        queryset=DevelopmentGoal.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mining_ended = forms.IntegerField(
        label=_("Year mining ended"),
        required=False,
        min_value=1000,
        help_text=_("For example 1992. Leave it empty if mining still goes on."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    mining_active = forms.BooleanField(label=_("Mining still goes on"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_query(cls, query: QueryDict) -> RegionMatchForm:
        """Bound to the query when it gives any of the form's fields a value,
        else unbound: an empty form shows no errors and no results."""
        described = any(
            value.strip() for name in cls.base_fields for value in query.getlist(name)
        )
        return cls(query if described else None)

    def clean_mining_ended(self) -> int | None:
        year = self.cleaned_data.get("mining_ended")
        if year is not None and year > timezone.now().year:
            raise forms.ValidationError(
                _("The year cannot be in the future."), code="future"
            )
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("mining_ended") is not None and cleaned.get("mining_active"):
            self.add_error(
                "mining_active",
                forms.ValidationError(
                    _(
                        "Give the year mining ended or tick that it still goes on, "
                        "not both."
                    ),
                    code="ended_and_active",
                ),
            )
        return cleaned

    def profile(self) -> Profile:
        """The described region's profile: call after is_valid()."""
        data = self.cleaned_data
        return described_profile(
            country=data.get("country") or "",
            legacy_types=data.get("legacy_type") or (),
            commodities=data.get("commodity") or (),
            goals=data.get("goal") or (),
            mining_ended=data.get("mining_ended"),
            mining_active=bool(data.get("mining_active")),
        )
