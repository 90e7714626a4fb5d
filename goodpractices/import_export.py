from import_export import fields

from core.languages import translated_columns
from editorial.import_export import PublishableResource, SlugsWidget, SlugWidget
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import Partner, Project, Region


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

    class Meta(PublishableResource.Meta):
        model = GoodPractice
        fields = (
            "slug",
            *translated_columns(GoodPractice),
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
            "potentials",
            "projects",
            "contact_name",
            "contact_email",
            "original_language",
            "owner",
            "status",
        )
        export_order = fields
