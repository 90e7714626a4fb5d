from modeltranslation.translator import TranslationOptions, register

from editorial.history import history_register
from goodpractices.models import GoodPractice


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
    )


# History is registered here, once the translated columns exist (see history.py).
history_register(GoodPractice, follow=("links",))
