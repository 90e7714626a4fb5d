import hashlib
import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.contrib.contenttypes.admin import GenericInlineModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import _get_foreign_key
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
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


# --- Stale saves ------------------------------------------------------------------

#: The hidden input of a change form that carries the version it was opened on.
VERSION_FIELD = "_version"


def _row_state(obj: models.Model, ignored: frozenset[str]) -> list:
    """One row as plain data, many-to-many choices sorted: what a version hashes."""
    [data] = serializers.serialize("python", [obj])
    fields = {}
    for name, value in data["fields"].items():
        field = obj._meta.get_field(name)
        if (
            name in ignored
            or getattr(field, "auto_now", False)
            or isinstance(field, models.GeneratedField)
        ):
            continue
        fields[name] = sorted(value, key=str) if field.many_to_many else value
    return [data["model"], str(data["pk"]), fields]


def _inline_rows(inline, parent: models.Model) -> models.QuerySet:
    manager = inline.model._default_manager
    if isinstance(inline, GenericInlineModelAdmin):
        kind = ContentType.objects.get_for_model(
            parent, for_concrete_model=getattr(inline, "for_concrete_model", True)
        )
        return manager.filter(**{inline.ct_field: kind, inline.ct_fk_field: parent.pk})
    fk = _get_foreign_key(type(parent), inline.model, fk_name=inline.fk_name)
    return manager.filter(**{fk.name: parent})


def _shown(value, field: models.Field, empty: str) -> str:
    """A value as the conflict table shows it: choices by their names, related
    records by their titles."""
    if value is None or value == "":
        return empty
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in value)) or empty
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.FileField):
        # False: the file was cleared.
        return str(value and getattr(value, "name", value) or "") or empty
    if field.is_relation:
        return str(value)
    return str(display_for_field(value, field, empty))


def _stored_value(obj: models.Model, field: models.Field):
    if field.many_to_many:
        return list(getattr(obj, field.name).all())
    if field.is_relation:
        return getattr(obj, field.name)
    return field.value_from_object(obj)


def _submitted_value(form: forms.Form, name: str, field: models.Field):
    if name in getattr(form, "cleaned_data", {}):
        return form.cleaned_data[name]
    # An invalid value: shown as typed.
    raw = form.data.getlist(form.add_prefix(name))
    return " ".join(raw) if raw else None


def _field_label(model, name: str, formfield: forms.Field) -> str:
    if getattr(model._meta.get_field(name), "translated_field", None):
        return column_label(model, name)  # "Title (German)"
    return str(formfield.label or model._meta.get_field(name).verbose_name)


def _form_row(form: forms.Form, model, values) -> list[str]:
    """A form's fields that are the model's, as "label: value" (empty ones left out)."""
    parts = []
    for name, formfield in form.base_fields.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        shown = _shown(values(name, field), field, "")
        if shown:
            parts.append(f"{_field_label(model, name, formfield)}: {shown}")
    return parts


class StaleSaveMixin:
    """Refuses a save made on a change form opened before someone else's save.

    The form carries a version token: a hash of the record as stored (every
    field but the ones each save moves, its many-to-many choices and the rows of
    its inlines, so a changed inline row is a changed record). On saving, the
    record is locked (`select_for_update`, held until the save commits, so of two
    saves at once the second sees the first) and the token compared; a stale one
    is refused with the form shown again beside what is stored now.
    """

    change_form_template = "admin/versioned_change_form.html"
    #: Fields each save moves even when nothing a person wrote changed.
    version_ignored_fields: tuple[str, ...] = ("updated_by",)

    def version_token(self, request, stored: models.Model) -> str:
        ignored = frozenset(self.version_ignored_fields)
        rows = [_row_state(stored, ignored)]
        # Every inline's rows, whoever asks: one user's form is compared with
        # what another saved, and each may see other inlines.
        for inline_class in self.inlines:
            inline = inline_class(self.model, self.admin_site)
            rows.append(
                sorted(
                    (_row_state(row, ignored) for row in _inline_rows(inline, stored)),
                    key=lambda row: row[1],
                )
            )
        text = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def stored_version(self, request, pk, *, lock: bool = False):
        """The record as stored and its token; locked until the transaction ends."""
        queryset = self.model._default_manager.all()
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        stored = queryset.get(pk=pk)
        return stored, self.version_token(request, stored)

    def stale_message(self, stored: models.Model) -> str:
        by, at = (
            getattr(stored, "updated_by", None),
            getattr(stored, "updated_at", None),
        )
        if by is not None and at is not None:
            who = gettext("%(user)s saved it at %(time)s. ") % {
                "user": by.get_full_name() or by.get_username(),
                "time": date_format(timezone.localtime(at), "DATETIME_FORMAT"),
            }
        else:
            who = ""
        return gettext(
            "This record was changed by someone else after you opened it. %(who)s"
            "Your changes were not saved. The table below shows what is stored now "
            "beside what you submitted; the form holds your version. Make your "
            "change again on the stored version (reload the page), or save this "
            "form to replace the stored version with yours."
        ) % {"who": who}

    def check_version(self, request, form, pk) -> None:
        """Adds an error to `form` if the record changed since the form was opened."""
        seen = form.data.get(VERSION_FIELD)
        if not seen:
            # A client that sends no version (not the admin's own form) saves as
            # before; the admin's form always sends one.
            return
        stored, token = self.stored_version(request, pk, lock=True)
        if token != seen:
            form.stale_stored = stored
            form.add_error(None, ValidationError(self.stale_message(stored), "stale"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or obj.pk is None:
            return form
        model_admin, pk = self, obj.pk

        class VersionCheckedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                model_admin.check_version(request, self, pk)
                return cleaned_data

        VersionCheckedForm.__name__ = form.__name__
        return VersionCheckedForm

    def stale_changes(self, request, form, stored, inline_admin_formsets) -> list:
        """What is stored now beside what the user submitted, field by field where
        they differ; an inline's rows as one entry."""
        empty = self.get_empty_value_display()
        changes = []
        for name, formfield in form.fields.items():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            now = _shown(_stored_value(stored, field), field, empty)
            yours = _shown(_submitted_value(form, name, field), field, empty)
            if now != yours:
                label = _field_label(self.model, name, formfield)
                changes.append({"label": label, "stored": now, "yours": yours})
        for inline_admin_formset in inline_admin_formsets:
            formset, inline = inline_admin_formset.formset, inline_admin_formset.opts
            model = formset.model
            fresh = type(formset)(
                instance=stored, queryset=inline.get_queryset(request)
            ).get_queryset()
            now = [
                "; ".join(
                    _form_row(
                        formset.form,
                        model,
                        lambda name, field, row=row: _stored_value(row, field),
                    )
                )
                for row in fresh
            ]
            yours = []
            for row_form in formset.forms:
                deleted = formset.can_delete and formset._should_delete_form(row_form)
                if deleted or (
                    row_form.instance.pk is None and not row_form.has_changed()
                ):
                    continue
                yours.append(
                    "; ".join(
                        _form_row(
                            formset.form,
                            model,
                            lambda name, field, f=row_form: _submitted_value(
                                f, name, field
                            ),
                        )
                    )
                )
            if now != yours:
                changes.append(
                    {
                        "label": inline.verbose_name_plural,
                        "stored": "\n".join(now) or empty,
                        "yours": "\n".join(yours) or empty,
                    }
                )
        return changes

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.pk is not None:
            stored, token = self.stored_version(request, obj.pk)
            context = {
                **context,
                "version_token": token,
                "version_field": VERSION_FIELD,
            }
            form = context["adminform"].form
            if getattr(form, "stale_stored", None) is not None:
                context["stale_changes"] = self.stale_changes(
                    request, form, stored, context.get("inline_admin_formsets", ())
                )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
