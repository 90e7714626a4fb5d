from modeltranslation.translator import TranslationOptions, register

from regions.models import (
    Commodity,
    DevelopmentGoal,
    LegacyType,
    Objective,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionLegacy,
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
    fields = ("title", "summary", "description")


@register(Objective)
class ObjectiveTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
