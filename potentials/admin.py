from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from core.admin import (
    LinkInline,
    PictureListMixin,
    ProvenanceAdminMixin,
    RecordImageInline,
    StaleSaveMixin,
    in_use,
)
from editorial.admin import PublishableAdmin
from potentials.import_export import PotentialResource
from potentials.models import (
    Category,
    Potential,
    PotentialActor,
    PotentialImage,
    Theme,
)


class CategoryInline(TranslationTabularInline):
    model = Category
    fields = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


@admin.register(Theme)
class ThemeAdmin(StaleSaveMixin, TabbedTranslationAdmin):
    list_display = ("name", "order")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(StaleSaveMixin, TabbedTranslationAdmin):
    list_display = ("name", "theme", "icon", "order")
    list_filter = in_use("theme")
    list_select_related = ("theme",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("goals",)


class ActorInline(admin.TabularInline):
    model = PotentialActor
    extra = 0
    autocomplete_fields = ("partner",)


class ImageInline(RecordImageInline):
    model = PotentialImage


@admin.register(Potential)
class PotentialAdmin(PictureListMixin, ProvenanceAdminMixin, PublishableAdmin):
    resource_classes = [PotentialResource]
    list_display = (
        "title",
        "picture",
        "region",
        "country",
        "category",
        "stage",
        "status",
    )
    list_filter = in_use(
        "status",
        "stage",
        "category__theme",
        "category",
        "legacy_types",
        "region__country",
        "projects",
    )
    list_select_related = ("region", "category")
    search_fields = ("title", "summary", "slug", "region__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("region", "category", "legacy_types", "projects", "owner")
    inlines = [ActorInline, ImageInline, LinkInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "region",
                    "category",
                    "legacy_types",
                    "original_language",
                )
            },
        ),
        (
            _("Texts"),
            {"fields": ("summary", "description", "utilisation_options")},
        ),
        (
            _("Stage, figures and location"),
            {
                "fields": (
                    "stage",
                    ("area_ha", "capacity_mw", "visitors_per_year"),
                    ("latitude", "longitude"),
                    "projects",
                )
            },
        ),
        PublishableAdmin.editorial_fieldset,
        ProvenanceAdminMixin.provenance_fieldset,
    )

    @admin.display(description=_("country"), ordering="region__country")
    def country(self, obj: Potential) -> str:
        return obj.region.country.name if obj.region else "–"
