from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationGenericTabularInline,
    TranslationStackedInline,
)

from core.images import RecordImage, first_images
from core.languages import language_name
from core.models import Link
from core.provenance import Provenance, original_language, provenance_map


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


class InUseChoicesFilter(admin.AllValuesFieldListFilter):
    """A filter on a field with choices (a country, a kind, a status) that offers
    only the values the listed records have, by their names: the countries that
    occur, not all 250. With a path ("region__country") it asks the listed
    model, not the related one."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        labels = {str(value): str(label) for value, label in field.flatchoices}
        values = (
            model_admin.get_queryset(request)
            .exclude(**{f"{field_path}__isnull": True})
            .order_by()
            .values_list(field_path, flat=True)
            .distinct()
        )
        self.labels = labels
        self.lookup_choices = sorted(
            (str(value) for value in values if value != ""),
            key=lambda value: labels.get(value, value).casefold(),
        )

    def get_facet_counts(self, pk_attname, filtered_qs):
        # Facet counts would re-count per value; the list here is short.
        return {}

    def choices(self, changelist):
        yield {
            "selected": self.lookup_val is None,
            "query_string": changelist.get_query_string(
                remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
            ),
            "display": _("All"),
        }
        for value in self.lookup_choices:
            yield {
                "selected": self.lookup_val is not None and value in self.lookup_val,
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg: value}, [self.lookup_kwarg_isnull]
                ),
                "display": self.labels.get(value, value),
            }


class InUseFilter(admin.FieldListFilter):
    """`("field", InUseFilter)`: offers only values in use — related records
    through RelatedOnlyFieldListFilter, choices through InUseChoicesFilter, any
    other field with the filter Django would choose."""

    def __new__(cls, field, request, params, model, model_admin, field_path):
        if field.is_relation:
            chosen = admin.RelatedOnlyFieldListFilter
        elif field.choices:
            chosen = InUseChoicesFilter
        else:
            return admin.FieldListFilter.create(
                field, request, params, model, model_admin, field_path
            )
        return chosen(field, request, params, model, model_admin, field_path)


def in_use(*filters) -> tuple:
    """`list_filter` whose field names (and paths) offer only values in use;
    filter classes and (name, class) pairs pass as given."""
    return tuple((f, InUseFilter) if isinstance(f, str) else f for f in filters)


def column_label(model, column: str) -> str:
    """ "Title (German)" for title_de; a plain field's own name otherwise."""
    field = model._meta.get_field(column)
    translated = getattr(field, "translated_field", None)
    if translated is None:
        return str(field.verbose_name)
    return _("%(field)s (%(language)s)") % {
        "field": str(translated.verbose_name).capitalize(),
        "language": language_name(field.language),
    }


def validation_text(error: Exception, model=None) -> str:
    """An error as a sentence that names each field it concerns, with the
    language of a translated one: "Title (German): This field cannot be blank."."""
    if not isinstance(error, ValidationError):
        return str(error)
    if model is None or not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, errors in error.message_dict.items():
        text = " ".join(errors)
        try:
            label = column_label(model, name)
        except FieldDoesNotExist:  # "__all__": the record as a whole
            parts.append(text)
        else:
            parts.append(f"{label}: {text}")
    return " ".join(parts)


class TranslationTabsMixin:
    """Tabbed translations that open on the record's original language, say
    which language that is, and label each field with its language ("Title
    (German)"), so that an error names the language it belongs to."""

    # A property, not a Media class: a Media class of a mixin would hide the
    # other mixins' (the admin reads the first one along the MRO).
    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-translation-tabs.js"])

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and getattr(db_field, "translated_field", None):
            formfield.label = column_label(db_field.model, db_field.name)
        return formfield

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        language = original_language(obj) if obj is not None else ""
        context = {
            **context,
            "original_language": language,
            "original_language_name": language_name(language) if language else "",
        }
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class MapPickerMixin:
    """A map beside a record's latitude and longitude boxes: a click or a
    dragged marker fills them in (static/js/admin-map-picker.js, Leaflet from
    django-leaflet). The boxes stay, typeable: the accessible way in."""

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["leaflet/leaflet.css"]},
            js=["leaflet/leaflet.js", "js/admin-map-picker.js"],
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None or db_field.name not in ("latitude", "longitude"):
            return formfield
        attrs = {"data-map-picker": db_field.name}
        if db_field.name == "latitude":
            attrs.update(
                {
                    "data-tile-url": settings.MAP_TILE_URL,
                    "data-tile-attribution": settings.MAP_TILE_ATTRIBUTION,
                    "data-map-label": _("Map of the location"),
                    "data-map-help": _(
                        "Click the map or drag the marker to set the latitude and "
                        "longitude, or type them in the boxes."
                    ),
                }
            )
        formfield.widget.attrs.update(attrs)
        return formfield


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
