from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import LinkInline
from editorial.admin import PublishableAdmin
from goodpractices.import_export import GoodPracticeResource
from goodpractices.models import GoodPractice


@admin.register(GoodPractice)
class GoodPracticeAdmin(PublishableAdmin):
    resource_classes = [GoodPracticeResource]
    list_display = (
        "title",
        "kind",
        "main_institution",
        "region",
        "practice_status",
        "status",
    )
    list_filter = (
        "status",
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
    autocomplete_fields = (
        "main_institution",
        "region",
        "themes",
        "categories",
        "potentials",
        "projects",
        "owner",
    )
    inlines = [LinkInline]
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
            {"fields": ("themes", "categories", "potentials", "projects")},
        ),
        (_("Contact"), {"fields": ("contact_name", "contact_email")}),
        (
            _("Proposed from outside the network"),
            {
                "fields": ("proposer_name", "proposer_email", "proposer_organisation"),
                "classes": ("collapse",),
            },
        ),
        PublishableAdmin.editorial_fieldset,
    )
