from modeltranslation.translator import TranslationOptions, register

from regions.models import (
    Commodity,
    Contact,
    DevelopmentGoal,
    LegacyType,
    Objective,
    Partner,
    PartnerImage,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionImage,
    RegionLegacy,
    StatedFigure,
)


@register(Commodity)
class CommodityTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(LegacyType)
class LegacyTypeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(DevelopmentGoal)
class DevelopmentGoalTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "summary",
        "description",
        "goals_text",
        "challenges",
        "strengths",
    )


@register(RegionLegacy)
class RegionLegacyTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(PolicyInstrument)
class PolicyInstrumentTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "subtitle", "summary", "description")


@register(Objective)
class ObjectiveTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


@register(StatedFigure)
class StatedFigureTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Contact)
class ContactTranslationOptions(TranslationOptions):
    fields = ("function",)


@register(RegionImage)
class RegionImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")


@register(PartnerImage)
class PartnerImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")
