from modeltranslation.translator import TranslationOptions, register

from core.languages import follow_original_language
from editorial.history import history_register
from goodpractices.models import GoodPractice, GoodPracticeImage, Stakeholder


@register(GoodPractice)
class GoodPracticeTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "summary",
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties_encountered",
        "potential_for_learning",
        "funding_sources",
        "success_factors",
        "limiting_factors",
        "preconditions",
        "validation_opinion",
    )


@register(Stakeholder)
class StakeholderTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(GoodPracticeImage)
class GoodPracticeImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")


follow_original_language(GoodPractice)

# History is registered here, once the translated columns exist (see history.py).
history_register(Stakeholder)
history_register(GoodPracticeImage)
history_register(GoodPractice, follow=("links", "stakeholders", "images"))
