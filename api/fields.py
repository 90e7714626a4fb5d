from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import language_codes, language_column
from core.provenance import provenance_map

SLUG_PLACEHOLDER = "--slug--"
SLUG = re.compile(r"[-\w]{1,200}")


def detail_url_parts(request, view_name: str) -> tuple[str, str]:
    """A record's address before and after its slug, reversed once per request."""
    prefixes = getattr(request, "_api_detail_urls", None)
    if prefixes is None:
        prefixes = request._api_detail_urls = {}
    if view_name not in prefixes:
        path = reverse(view_name, kwargs={"slug": SLUG_PLACEHOLDER})
        prefixes[view_name] = request.build_absolute_uri(path).split(SLUG_PLACEHOLDER)
    return prefixes[view_name]


def detail_url(request, view_name: str, slug: str) -> str:
    """The absolute address of a record."""
    head, tail = detail_url_parts(request, view_name)
    return f"{head}{slug}{tail}"


def list_url(request, view_name: str) -> str:
    """The absolute address of a list, reversed once per request."""
    cache = getattr(request, "_api_list_urls", None)
    if cache is None:
        cache = request._api_list_urls = {}
    if view_name not in cache:
        cache[view_name] = request.build_absolute_uri(reverse(view_name))
    return cache[view_name]


@extend_schema_field(OpenApiTypes.URI)
class DetailUrlField(serializers.Field):
    """The record's own address in the API."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> str:
        return detail_url(self.context["request"], self.view_name, value.slug)


@extend_schema_field(OpenApiTypes.URI)
class FilteredListUrlField(serializers.Field):
    """The address of a list filtered to this record: `/potentials/?region=…`."""

    def __init__(self, view_name: str, parameter: str, **kwargs):
        self.view_name, self.parameter = view_name, parameter
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> str:
        url = list_url(self.context["request"], self.view_name)
        return f"{url}?{self.parameter}={value.slug}"


@cache
def choice_labels(model: type[Model], field_name: str) -> dict:
    # Lazy labels: each is translated when it is rendered, in the request's language.
    return dict(model._meta.get_field(field_name).flatchoices)


class ChoiceLabelField(serializers.CharField):
    """The translated label of a choice, as `get_<field>_display()` gives it.

    Looked up in the field's choices directly: the display method rebuilds the
    choices on every call and DRF inspects its signature on every call, which
    made labels a large share of a list's time.
    """

    def __init__(self, field_name: str, **kwargs):
        self.choice_field = field_name
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> str | None:
        code = getattr(value, self.choice_field)
        if code is None:
            return None
        return str(choice_labels(type(value), self.choice_field).get(code, code))


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": language_codes()},
        "description": "Languages the record is written in: those whose main text "
        "is filled. Other languages show the English text.",
        "example": ["en", "pl"],
    }
)
class TranslationsField(serializers.Field):
    def __init__(self, main_field: str, **kwargs):
        self.main_field = main_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> list[str]:
        return [
            code
            for code in language_codes()
            if getattr(value, f"{self.main_field}_{code}", None)
        ]


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": "With `search`: an HTML snippet showing why the record "
        "matched, with the matching words marked. Otherwise null.",
    }
)
class SearchHeadlineField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> str | None:
        return getattr(value, "search_headline", None)


@extend_schema_field(
    {
        "type": "number",
        "nullable": True,
        "description": "With `search`: how well the record matches; higher is "
        "better. Otherwise null.",
    }
)
class SearchRankField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> float | None:
        rank = getattr(value, "search_rank", None)
        return None if rank is None else float(rank)


# --- Writes -------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            code: {"type": "string", "nullable": True} for code in language_codes()
        },
        "additionalProperties": False,
    }
)
class TranslatedTextField(serializers.Field):
    """A translated model field as one object: `{"en": "…", "de": "…"}`.

    The same shape as the seed content (`title: {en: …, de: …}`) and the same codes
    as `?lang=` and `translations`. It reads and writes the model's columns
    `title_en`, `title_de`… directly, so a write never depends on the language of
    the request.
    """

    default_error_messages = {
        "not_a_dict": _("Give an object of texts by language code: %(example)s."),
        "unknown_language": _("Unknown language “%(code)s”; choose from: %(codes)s."),
    }

    def __init__(self, model_field: models.Field, **kwargs):
        self.max_length = model_field.max_length
        # A text the model requires is required in the record's original
        # language, which the model checks (core.models.TranslationProvenance).
        required = not model_field.blank
        kwargs.setdefault("required", required)
        kwargs.setdefault(
            "help_text",
            f"{model_field.name.replace('_', ' ').capitalize()}: the text in each "
            'language, by language code (`{"en": "…", "de": "…"}`). '
            + (
                "Required: a text in the record's original language "
                "(`original_language`), or in English, which stands in for it "
                "until the original is added; any other language may be left "
                "out. "
                if required
                else ""
            )
            + "A reader of a language without a text is given the English one, "
            "else the one in the original language. Null or an empty string "
            "removes a language. On PATCH the languages left out keep their "
            "text; on PUT they are removed.",
        )
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> dict[str, str | None]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                self.error_messages["not_a_dict"] % {"example": '{"en": "…"}'},
                code="not_a_dict",
            )
        codes = language_codes()
        errors: dict[str, list] = {}
        texts: dict[str, str | None] = {}
        for code, text in data.items():
            if code not in codes:
                errors[str(code)[:20]] = [
                    self.error_messages["unknown_language"]
                    % {"code": str(code)[:20], "codes": ", ".join(codes)}
                ]
                continue
            text_field = serializers.CharField(
                max_length=self.max_length, allow_blank=True, allow_null=True
            )
            try:
                # An empty text is no text: the language falls back (reading_order).
                texts[code] = text_field.run_validation(text) or None
            except serializers.ValidationError as error:
                errors[code] = error.detail
        partial = getattr(self.root, "partial", False)
        if errors:
            raise serializers.ValidationError(errors)
        if not partial:
            # PUT replaces the whole text: the languages left out are removed.
            texts = {code: texts.get(code) for code in codes}
        return {
            language_column(self.field_name, code): text for code, text in texts.items()
        }

    def to_representation(self, value: Model) -> dict[str, str]:
        texts = {}
        for code in language_codes():
            text = getattr(value, language_column(self.field_name, code))
            if text:
                texts[code] = text
        return texts


class SlugRelatedField(serializers.SlugRelatedField):
    """A related record named by its slug; anything but a slug is never looked up."""

    default_error_messages = {
        "does_not_exist": _("There is no %(kind)s with the slug “%(slug)s”."),
        "invalid": _("Give the slug of a %(kind)s: letters, digits and hyphens."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        kind = queryset.model._meta.verbose_name
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            raise serializers.ValidationError(
                self.error_messages["invalid"] % {"kind": kind},
                code="invalid",
            )
        try:
            return queryset.get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"kind": kind, "slug": data},
                code="does_not_exist",
            ) from None


@extend_schema_field(
    {
        "type": "object",
        "description": "Where each text of the record comes from, per field and "
        "language: `original` (written in that language), `reviewed` (translated "
        "and reviewed) or `unreviewed` (translated, not yet reviewed). Only the "
        "texts the record has are listed.",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {
                "type": "string",
                "enum": ["original", "reviewed", "unreviewed"],
            },
        },
        "example": {"title": {"en": "original", "de": "unreviewed"}},
    }
)
class ProvenanceField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> dict[str, dict[str, str]]:
        return provenance_map(value)
