from modeltranslation.translator import TranslationOptions, register

from portal.models import SitePage


@register(SitePage)
class SitePageTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    # English is the page every language falls back to, so it must be there.
    required_languages = ("en",)
