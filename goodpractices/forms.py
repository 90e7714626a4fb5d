import unicodedata

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries

from core.languages import active_language, localised
from goodpractices.models import GoodPractice
from potentials.models import Theme
from regions.models import Region

#: The countries offered first: Europe, where the network's regions are.
EUROPE = frozenset(
    [
        "AD",
        "AL",
        "AT",
        "BA",
        "BE",
        "BG",
        "BY",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MD",
        "ME",
        "MK",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "RU",
        "SE",
        "SI",
        "SK",
        "SM",
        "TR",
        "UA",
        "VA",
        "",
    ]
)

TITLE_MIN_LENGTH = 10
SUMMARY_MIN_LENGTH = 50
DESCRIPTION_MIN_LENGTH = 150
MAX_LINKS = 5

_MIN_LENGTH = ngettext_lazy(
    "Please write at least %(limit_value)d character (this has %(show_value)d).",
    "Please write at least %(limit_value)d characters (this has %(show_value)d).",
    "limit_value",
)


def one_line(text: str) -> str:
    """The text on one line: line breaks, tabs and other control characters
    become single spaces (a title goes into mail subjects and page headings)."""
    kept = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in text
    )
    return " ".join(kept.split())


def country_choices() -> list:
    """Europe's countries first, then the others, each sorted in the reader's
    language."""
    european, other = [], []
    for code, name in countries:
        (european if code in EUROPE else other).append((code, name))
    return [
        ("", _("Choose a country")),
        (_("Europe"), european),
        (_("Other countries"), other),
    ]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"{region.name} ({region.country.name})"


class LinksField(forms.CharField):
    """Web addresses, one a line, each checked."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {
        "too_many": ngettext_lazy(
            "Please give at most %(limit)d address.",
            "Please give at most %(limit)d addresses.",
            "limit",
        ),
        "invalid_link": _(
            "“%(link)s” is not a web address: it should start with https:// or http://."
        ),
    }

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        lines = (line.strip() for line in text.splitlines())
        return list(dict.fromkeys(line for line in lines if line))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > MAX_LINKS:
            raise forms.ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"limit": MAX_LINKS},
            )
        check = URLValidator(schemes=["http", "https"])
        for link in value:
            try:
                check(link)
                valid = len(link) <= 500
            except forms.ValidationError:
                valid = False
            if not valid:
                raise forms.ValidationError(
                    self.error_messages["invalid_link"],
                    code="invalid_link",
                    params={"link": link[:80]},
                )

    def run_validators(self, value) -> None:
        # The validators of a CharField (length, NUL) apply to the text as given.
        super().run_validators("\n".join(value))


class ProposalForm(forms.Form):
    # Labels of required fields get this class: a mark the legend explains.
    required_css_class = "required"

    title = forms.CharField(
        label=_("Title of the practice"),
        min_length=TITLE_MIN_LENGTH,
        max_length=300,
        error_messages={"min_length": _MIN_LENGTH},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=SUMMARY_MIN_LENGTH,
        max_length=2000,
        error_messages={"min_length": _MIN_LENGTH},
        help_text=_("What was done, where, and what came of it, in a few sentences."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 10}),
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=20000,
        error_messages={"min_length": _MIN_LENGTH},
        help_text=_(
            "How it was done: who took part, what it cost, what worked and what "
            "did not."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of practice"),
        choices=[("", _("Choose a kind")), *GoodPractice.Kind.choices],
    )
    language = forms.ChoiceField(
        label=_("Language of your text"),
        choices=settings.LANGUAGES,
        # Chosen already (the reader's language), so browsers get no `required`.
        widget=forms.Select(attrs={"aria-required": "true"}),
        help_text=_(
            "Write in the language you know best: the practice is reviewed and "
            "published in it."
        ),
    )
    country = forms.ChoiceField(label=_("Country"), choices=())
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Not on the portal, or not sure"),
        help_text=_("One of the portal's regions, if the practice took place in it."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Not sure"),
        help_text=_("What mining left that the practice uses, or how it works."),
    )
    links = LinksField(
        label=_("Web addresses"),
        required=False,
        max_length=MAX_LINKS * 501,
    )
    proposer_name = forms.CharField(label=_("Your name"), max_length=200)
    proposer_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Only the moderators see it, to ask you questions."),
    )
    proposer_organisation = forms.CharField(
        label=_("Your organisation"), max_length=250, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal keeps what I enter here as the privacy notice "
            "explains."
        ),
        error_messages={
            "required": _(
                "Please agree, or we cannot keep your proposal: the privacy notice "
                "says what is kept and why."
            )
        },
    )
    # A honeypot: hidden from people, filled in by robots that fill in everything.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = active_language()
        self.fields["country"].choices = country_choices()
        self.fields["region"].queryset = Region.objects.order_by(
            "country", localised("name"), "slug"
        )
        self.fields["links"].help_text = _(
            "Pages or documents about the practice, one address a line (up to "
            "%(limit)d)."
        ) % {"limit": MAX_LINKS}
        self.fields["theme"].queryset = Theme.objects.all()

    def clean_title(self) -> str:
        return self._one_line("title")

    def clean_proposer_name(self) -> str:
        return self._one_line("proposer_name")

    def clean_proposer_organisation(self) -> str:
        return self._one_line("proposer_organisation")

    def _one_line(self, name: str) -> str:
        value = one_line(self.cleaned_data[name])
        field = self.fields[name]
        if field.required and not value:
            raise forms.ValidationError(field.error_messages["required"], "required")
        if field.min_length and len(value) < field.min_length:
            raise forms.ValidationError(
                _MIN_LENGTH,
                code="min_length",
                params={"limit_value": field.min_length, "show_value": len(value)},
            )
        return value

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
