from modeltranslation.translator import TranslationOptions, register

from regions.models import Commodity, Objective, Partner, Project, Publication, Region


@register(Commodity)
class CommodityTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description")


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description")


@register(Objective)
class ObjectiveTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
