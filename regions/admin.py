from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from core.admin import (
    LinkInline,
    MapPickerMixin,
    PictureListMixin,
    ProvenanceAdminMixin,
    RecordImageInline,
    StaleSaveMixin,
    in_use,
)
from regions.models import (
    Commodity,
    Contact,
    DevelopmentGoal,
    LegacyType,
    Membership,
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


class RegionImageInline(RecordImageInline):
    model = RegionImage


class PartnerImageInline(RecordImageInline):
    model = PartnerImage


@admin.register(Commodity)
class CommodityAdmin(StaleSaveMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(LegacyType)
class LegacyTypeAdmin(StaleSaveMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(DevelopmentGoal)
class DevelopmentGoalAdmin(StaleSaveMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class RegionLegacyInline(TranslationTabularInline):
    model = RegionLegacy
    extra = 0
    verbose_name = _("mining legacy")
    verbose_name_plural = _("mining legacy: the kinds present, with their extent")


class RegionPolicyInstrumentInline(admin.TabularInline):
    model = PolicyInstrument
    fields = ("name", "kind", "programme", "period_start", "period_end")
    show_change_link = True
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = fields
    verbose_name_plural = _("policy instruments (edited on their own pages)")


@admin.register(Region)
class RegionAdmin(
    StaleSaveMixin,
    MapPickerMixin,
    PictureListMixin,
    ProvenanceAdminMixin,
    TabbedTranslationAdmin,
):
    list_display = (
        "name",
        "picture",
        "country",
        "kind",
        "nuts_code",
        "mining_status",
        "mining_ended_year",
    )
    list_filter = in_use("country", "kind", "mining_status", "commodities", "goals")
    search_fields = ("name", "nuts_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("commodities", "goals")
    inlines = [
        RegionLegacyInline,
        RegionPolicyInstrumentInline,
        RegionImageInline,
        LinkInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "kind",
                    "country",
                    ("nuts_code", "nuts_version"),
                )
            },
        ),
        (
            _("Mining"),
            {"fields": ("commodities", "mining_status", "mining_ended_year")},
        ),
        (
            _("Figures and location"),
            {
                "fields": (
                    ("population", "population_year"),
                    ("population_source_title", "population_source_url"),
                    ("area_km2", "area_year"),
                    ("area_source_title", "area_source_url"),
                    ("latitude", "longitude"),
                )
            },
        ),
        (_("Texts"), {"fields": ("summary", "description", "website")}),
        (
            _("Profile"),
            {"fields": ("goals", "goals_text", "challenges", "strengths")},
        ),
        ProvenanceAdminMixin.provenance_fieldset,
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("partner",)


class PartnerMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("project",)
    verbose_name = _("project membership")
    verbose_name_plural = _("project memberships")


class ContactInline(TranslationTabularInline):
    model = Contact
    extra = 0
    fields = (
        "name",
        "function",
        "email",
        "phone",
        "project",
        "project_period",
        "order",
    )
    verbose_name_plural = _("contacts: people a source names at this partner")


@admin.register(Partner)
class PartnerAdmin(
    StaleSaveMixin, PictureListMixin, ProvenanceAdminMixin, TabbedTranslationAdmin
):
    list_display = (
        "name",
        "picture",
        "acronym",
        "kind",
        "sector",
        "level",
        "country",
        "region",
    )
    list_filter = in_use("kind", "sector", "level", "country", "memberships__project")
    list_select_related = ("region",)
    search_fields = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("region",)
    inlines = [ContactInline, PartnerMembershipInline, PartnerImageInline, LinkInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "kind", "country", "region")}),
        (_("Actor network"), {"fields": ("sector", "level")}),
        (_("Contact"), {"fields": ("address", "website", "email", "phone", "logo")}),
        ProvenanceAdminMixin.provenance_fieldset,
    )


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    extra = 0


class StatedFigureInline(TranslationTabularInline):
    model = StatedFigure
    extra = 0
    fields = ("kind", "value", "source_title", "source_url", "note")


@admin.register(Project)
class ProjectAdmin(StaleSaveMixin, ProvenanceAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "acronym",
        "title",
        "kind",
        "programme",
        "start_date",
        "end_date",
        "partner_count",
    )
    list_filter = in_use("kind", "programme", "fund")
    search_fields = ("acronym", "title", "grant_agreement")
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = ("headline_counts",)
    inlines = [MembershipInline, ObjectiveInline, StatedFigureInline, LinkInline]
    fieldsets = (
        (None, {"fields": ("acronym", "slug", "title", "subtitle", "kind")}),
        (
            _("Funding"),
            {"fields": ("programme", "fund", "grant_agreement", "topic")},
        ),
        (_("Dates"), {"fields": (("start_date", "end_date"),)}),
        (_("Texts"), {"fields": ("summary", "description", "website")}),
        (_("Computed from the memberships"), {"fields": ("headline_counts",)}),
        ProvenanceAdminMixin.provenance_fieldset,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_partner_count=Count("memberships", distinct=True))
        )

    @admin.display(description=_("partners"), ordering="_partner_count")
    def partner_count(self, obj: Project) -> int:
        return obj._partner_count

    @admin.display(description=_("headline counts"))
    def headline_counts(self, obj: Project) -> str:
        if obj.pk is None:
            return "–"
        counts = obj.headline_counts()
        rows = [
            (_("Partners"), counts.partners),
            (_("Regions"), counts.regions),
            (_("Countries"), counts.countries),
            *(
                (label, counts.by_role[value])
                for value, label in Membership.Role.choices
            ),
        ]
        return format_html_join("<br>", "{}: {}", rows)


@admin.register(Publication)
class PublicationAdmin(StaleSaveMixin, ProvenanceAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "project", "kind", "year", "language")
    list_filter = in_use("project", "kind", "language", "year")
    list_select_related = ("project",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("project",)
    inlines = [LinkInline]


@admin.register(PolicyInstrument)
class PolicyInstrumentAdmin(
    StaleSaveMixin, ProvenanceAdminMixin, TabbedTranslationAdmin
):
    list_display = ("name", "kind", "country", "region", "programme", "period")
    list_filter = in_use("kind", "country", "projects")
    list_select_related = ("region",)
    search_fields = ("name", "managing_authority", "programme", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("region", "projects")
    inlines = [LinkInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "region")}),
        (
            _("Programme"),
            {
                "fields": (
                    "managing_authority",
                    "programme",
                    ("period_start", "period_end"),
                    "projects",
                )
            },
        ),
        ProvenanceAdminMixin.provenance_fieldset,
    )

    @admin.display(description=_("period"))
    def period(self, instrument: PolicyInstrument) -> str:
        return instrument.period
