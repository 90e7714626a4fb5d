from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationGenericTabularInline,
    TranslationStackedInline,
)

from core.images import RecordImage, first_images
from core.models import Link
from core.provenance import Provenance, provenance_map


class LinkInline(TranslationGenericTabularInline):
    """The links of any record, edited on its own page."""

    model = Link
    fields = ("kind", "title", "url", "accessed_on", "order")
    extra = 0


class ProvenanceAdminMixin:
    """Shows where each translation of a record comes from, and lets staff say
    so: reviewing a translation is an edit of the record, kept in its history."""

    provenance_fieldset = (
        _("Where the translations come from"),
        {
            "fields": ("provenance_summary", "translation_provenance"),
            "classes": ("collapse",),
            "description": _(
                "Mark a translation “reviewed” once someone who writes the "
                "language has read it against the original; mark a text "
                "written in a language “original”."
            ),
        },
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "provenance_summary")

    @admin.display(description=_("Provenance per language"))
    def provenance_summary(self, obj) -> str:
        states = provenance_map(obj) if obj and obj.pk else {}
        if not states:
            return "–"
        labels = dict(Provenance.choices)
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td></tr>",
            (
                (
                    obj._meta.get_field(field).verbose_name,
                    "; ".join(
                        f"{language}: {labels[state]}"
                        for language, state in languages.items()
                    ),
                )
                for field, languages in states.items()
            ),
        )
        return format_html("<table>{}</table>", rows)


def picture_thumbnail(
    image: RecordImage | None, alt: str = "", width: str = "10rem"
) -> str:
    """A picture's card rendition, small: what an editor recognises it by."""
    if image is None or not image.pk or not image.image:
        return "–"
    rendition = image.card_rendition
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-thumbnail" '
        'style="width:{};height:auto">',
        rendition.url,
        rendition.width,
        rendition.height,
        alt,
        width,
    )


class RecordImageInline(TranslationStackedInline):
    """A record's pictures, with a preview; the texts in the translation tabs."""

    fields = (
        "thumbnail",
        "image",
        "alt",
        "caption",
        ("credit", "licence"),
        "source_url",
        "order",
    )
    readonly_fields = ("thumbnail",)
    extra = 0

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: RecordImage) -> str:
        # The text alternative is the field right below the preview.
        return picture_thumbnail(obj)


class PictureListMixin:
    """A change list column with each record's first picture (one query a page)."""

    def get_queryset(self, request):
        image_model = self.model._meta.get_field("images").related_model
        return super().get_queryset(request).prefetch_related(first_images(image_model))

    @admin.display(description=_("picture"))
    def picture(self, obj) -> str:
        image = next(iter(getattr(obj, "first_images", [])), None)
        return picture_thumbnail(image, alt=image.alt if image else "", width="4rem")
