from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from core.admin import (
    LinkInline,
    PictureListMixin,
    ProvenanceAdminMixin,
    RecordImageInline,
    in_use,
)
from editorial.admin import PublishableAdmin
from goodpractices.import_export import GoodPracticeResource
from goodpractices.models import GoodPractice, GoodPracticeImage, Stakeholder


class ImageInline(RecordImageInline):
    model = GoodPracticeImage


class StakeholderInline(TranslationTabularInline):
    model = Stakeholder
    extra = 0
    autocomplete_fields = ("partner",)


class ValidatedFilter(admin.SimpleListFilter):
    title = _("validated by the network")
    parameter_name = "validated"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(validated_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(validated_on__isnull=True)
        return queryset


@admin.register(GoodPractice)
class GoodPracticeAdmin(PictureListMixin, ProvenanceAdminMixin, PublishableAdmin):
    resource_classes = [GoodPracticeResource]
    list_display = (
        "title",
        "picture",
        "kind",
        "main_institution",
        "region",
        "practice_status",
        "validated_on",
        "status",
    )
    list_filter = in_use(
        "status",
        ValidatedFilter,
        "evidence_level",
        "kind",
        "practice_status",
        "themes",
        "categories",
        "region__country",
        "projects",
        "original_language",
    )
    list_select_related = ("main_institution", "region")
    search_fields = ("title", "summary", "slug", "main_institution__name")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "validated_by")
    autocomplete_fields = (
        "main_institution",
        "region",
        "themes",
        "categories",
        "legacy_types",
        "potentials",
        "projects",
        "policy_instruments",
        "transferable_legacy_types",
        "owner",
    )
    inlines = [StakeholderInline, ImageInline, LinkInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "kind",
                    "main_institution",
                    "region",
                    "original_language",
                )
            },
        ),
        (
            _("The case"),
            {
                "fields": (
                    "summary",
                    "description",
                    "resources_needed",
                    "evidence_of_success",
                    "difficulties_encountered",
                    "potential_for_learning",
                )
            },
        ),
        (
            _("When and where"),
            {
                "fields": (
                    ("start_date", "end_date"),
                    "practice_status",
                    ("latitude", "longitude"),
                )
            },
        ),
        (
            _("Related"),
            {
                "fields": (
                    "themes",
                    "categories",
                    "legacy_types",
                    "potentials",
                    "projects",
                    "policy_instruments",
                )
            },
        ),
        (
            _("Evidence"),
            {
                "fields": (
                    ("cost_min", "cost_max", "cost_currency"),
                    "funding_sources",
                    ("implementation_months", "lifetime_years"),
                    "success_factors",
                    "limiting_factors",
                    "preconditions",
                    "evidence_level",
                    "transferable_region_kinds",
                    "transferable_legacy_types",
                ),
                "description": _(
                    "What it cost, how long it took and lasts, what made it work "
                    "and what limited it, how well its results are known, and "
                    "where it could work again. Leave empty what the sources "
                    "don't say."
                ),
            },
        ),
        (
            _("Validation by the network"),
            {
                "fields": (
                    "validated_on",
                    "validation_opinion",
                    "validation_signature",
                    "validated_by",
                ),
                "description": _(
                    "A moderator's dated, signed opinion that the network "
                    "considers the practice good. Only moderators can change it."
                ),
            },
        ),
        (_("Contact"), {"fields": ("contact_name", "contact_email")}),
        (
            _("Proposed from outside the network"),
            {
                "fields": (
                    "proposer_name",
                    "proposer_email",
                    "proposer_organisation",
                    "country",
                ),
                "classes": ("collapse",),
            },
        ),
        PublishableAdmin.editorial_fieldset,
        ProvenanceAdminMixin.provenance_fieldset,
    )
