from modeltranslation.translator import TranslationOptions, register

from resource_portal.history import history_register
from resource_portal.models import Link


@register(Link)
class LinkTranslationOptions(TranslationOptions):
    fields = ("title",)


# Links are kept in the history of the records they belong to.
history_register(Link)
