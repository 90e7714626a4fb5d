from import_export import fields

from core.languages import translated_columns
from editorial.import_export import PublishableResource, SlugsWidget, SlugWidget
from potentials.models import Category, Potential
from regions.models import LegacyType, Project, Region


class PotentialResource(PublishableResource):
    region = fields.Field(
        attribute="region",
        column_name="region",
        widget=SlugWidget(Region),
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=SlugWidget(Category),
    )
    legacy_types = fields.Field(
        attribute="legacy_types",
        column_name="legacy_types",
        widget=SlugsWidget(LegacyType),
    )
    projects = fields.Field(
        attribute="projects",
        column_name="projects",
        widget=SlugsWidget(Project),
    )

    class Meta(PublishableResource.Meta):
        model = Potential
        fields = (
            "slug",
            *translated_columns(Potential),
            "region",
            "category",
            "legacy_types",
            "stage",
            "area_ha",
            "capacity_mw",
            "visitors_per_year",
            "latitude",
            "longitude",
            "projects",
            "original_language",
            "owner",
            "status",
        )
        export_order = fields
