from modeltranslation.translator import TranslationOptions, register

from core.models import Link


@register(Link)
class LinkTranslationOptions(TranslationOptions):
    fields = ("title",)
