from modeltranslation.translator import TranslationOptions, register

from goodpractices.models import GoodPractice
from resource_portal.history import history_register


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
