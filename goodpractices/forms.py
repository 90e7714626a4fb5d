from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.languages import active_language
from goodpractices.models import GoodPractice


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title of the practice"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What was done, where, and what came of it, in a few sentences."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
    )
    kind = forms.ChoiceField(label=_("Kind of practice"), choices=GoodPractice.Kind)
    language = forms.ChoiceField(
        label=_("Language of your text"), choices=settings.LANGUAGES
    )
    proposer_name = forms.CharField(label=_("Your name"), max_length=200)
    proposer_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Only the moderators see it, to ask you questions."),
    )
    proposer_organisation = forms.CharField(
        label=_("Your organisation"), max_length=250, required=False
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

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
