from modeltranslation.admin import TranslationGenericTabularInline

from core.models import Link


class LinkInline(TranslationGenericTabularInline):
    """The links of any record, edited on its own page."""

    model = Link
    fields = ("kind", "title", "url", "accessed_on", "order")
    extra = 0
