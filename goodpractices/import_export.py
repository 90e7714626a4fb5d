from import_export import fields, widgets

from core.languages import translated_columns
from editorial.import_export import PublishableResource, SlugsWidget, SlugWidget
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import LegacyType, Partner, PolicyInstrument, Project, Region


class GoodPracticeResource(PublishableResource):
    main_institution = fields.Field(
        attribute="main_institution",
        column_name="main_institution",
        widget=SlugWidget(Partner),
    )
    region = fields.Field(
        attribute="region",
        column_name="region",
        widget=SlugWidget(Region),
    )
    themes = fields.Field(
        attribute="themes",
        column_name="themes",
        widget=SlugsWidget(Theme),
    )
    categories = fields.Field(
        attribute="categories",
        column_name="categories",
        widget=SlugsWidget(Category),
    )
    potentials = fields.Field(
        attribute="potentials",
        column_name="potentials",
        widget=SlugsWidget(Potential),
    )
    projects = fields.Field(
        attribute="projects",
        column_name="projects",
        widget=SlugsWidget(Project),
    )
    legacy_types = fields.Field(
        attribute="legacy_types",
        column_name="legacy_types",
        widget=SlugsWidget(LegacyType),
    )
    policy_instruments = fields.Field(
        attribute="policy_instruments",
        column_name="policy_instruments",
        widget=SlugsWidget(PolicyInstrument),
    )
    transferable_legacy_types = fields.Field(
        attribute="transferable_legacy_types",
        column_name="transferable_legacy_types",
        widget=SlugsWidget(LegacyType),
    )
    transferable_region_kinds = fields.Field(
        attribute="transferable_region_kinds",
        column_name="transferable_region_kinds",
        widget=widgets.SimpleArrayWidget(separator=","),
    )

    class Meta(PublishableResource.Meta):
        model = GoodPractice
        fields = (
            "slug",
            # The network's validation is a moderator's act in the admin, not
            # an imported column.
            *(
                column
                for column in translated_columns(GoodPractice)
                if not column.startswith("validation_opinion")
            ),
            "kind",
            "main_institution",
            "region",
            "start_date",
            "end_date",
            "practice_status",
            "latitude",
            "longitude",
            "themes",
            "categories",
            "legacy_types",
            "potentials",
            "projects",
            "policy_instruments",
            "cost_min",
            "cost_max",
            "cost_currency",
            "implementation_months",
            "lifetime_years",
            "evidence_level",
            "transferable_region_kinds",
            "transferable_legacy_types",
            "contact_name",
            "contact_email",
            "original_language",
            "owner",
            "status",
        )
        export_order = fields
