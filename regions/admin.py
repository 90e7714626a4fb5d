from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from core.admin import LinkInline
from regions.models import (
    Commodity,
    Membership,
    Objective,
    Partner,
    Project,
    Publication,
    Region,
    StatedFigure,
)


@admin.register(Commodity)
class CommodityAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "country",
        "kind",
        "nuts_code",
        "mining_status",
        "mining_ended_year",
    )
    list_filter = ("country", "kind", "mining_status", "commodities")
    search_fields = ("name", "nuts_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("commodities",)
    inlines = [LinkInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "nuts_code")}),
        (
            _("Mining"),
            {"fields": ("commodities", "mining_status", "mining_ended_year")},
        ),
        (
            _("Figures and location"),
            {"fields": ("population", "area_km2", ("latitude", "longitude"))},
        ),
        (_("Texts"), {"fields": ("summary", "description", "website")}),
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


@admin.register(Partner)
class PartnerAdmin(TabbedTranslationAdmin):
    list_display = ("name", "acronym", "kind", "country", "region")
    list_filter = ("kind", "country", "memberships__project")
    list_select_related = ("region",)
    search_fields = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("region",)
    inlines = [PartnerMembershipInline, LinkInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "kind", "country", "region")}),
        (_("Contact"), {"fields": ("address", "website", "email", "phone", "logo")}),
    )


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    extra = 0


class StatedFigureInline(admin.TabularInline):
    model = StatedFigure
    extra = 0


@admin.register(Project)
class ProjectAdmin(TabbedTranslationAdmin):
    list_display = (
        "acronym",
        "title",
        "kind",
        "programme",
        "start_date",
        "end_date",
        "partner_count",
    )
    list_filter = ("kind", "programme", "fund")
    search_fields = ("acronym", "title", "grant_agreement")
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = ("headline_counts",)
    inlines = [MembershipInline, ObjectiveInline, StatedFigureInline, LinkInline]
    fieldsets = (
        (None, {"fields": ("acronym", "slug", "title", "kind")}),
        (
            _("Funding"),
            {"fields": ("programme", "fund", "grant_agreement", "topic")},
        ),
        (_("Dates"), {"fields": (("start_date", "end_date"),)}),
        (_("Texts"), {"fields": ("summary", "description", "website")}),
        (_("Computed from the memberships"), {"fields": ("headline_counts",)}),
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
class PublicationAdmin(TabbedTranslationAdmin):
    list_display = ("title", "project", "kind", "year", "language")
    list_filter = ("project", "kind", "language", "year")
    list_select_related = ("project",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("project",)
    inlines = [LinkInline]
