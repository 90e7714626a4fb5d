from modeltranslation.translator import TranslationOptions, register

from core.languages import follow_original_language
from editorial.history import history_register
from potentials.models import (
    Category,
    Potential,
    PotentialActor,
    PotentialImage,
    Theme,
)


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Potential)
class PotentialTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "utilisation_options")


@register(PotentialImage)
class PotentialImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")


follow_original_language(Potential)

# History is registered here, once the translated columns exist (see history.py).
history_register(PotentialActor)
history_register(PotentialImage)
history_register(Potential, follow=("actor_roles", "images", "links"))
