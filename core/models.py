"""Models every app shares."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from core.languages import (
    FALLBACK_LANGUAGE,
    has_original_language,
    language_codes,
    language_column,
    language_name,
    translated_fields,
)
from core.provenance import validate_provenance_shape


class Link(models.Model):
    """A web link attached to any record: a source for its facts, or further reading.

    Every fact on a record that does not come from the portal's own seed documents
    carries a link of kind "source".
    """

    class Kind(models.TextChoices):
        SOURCE = "source", _("Source")
        WEBSITE = "website", _("Website")
        DOCUMENT = "document", _("Document")
        MORE = "more", _("More information")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MORE
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address (URL)"), max_length=500)
    accessed_on = models.DateField(
        _("read on"),
        null=True,
        blank=True,
        help_text=_("For a source: the day its page was read."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["order", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="link_record")
        ]

    def __str__(self) -> str:
        return self.title


class ChoiceLabels:
    """`get_<field>_display()` that looks the value up rather than translating
    every label of the field on each call (Django's builds the whole dictionary
    each time: a list of cards asks it dozens of times a page). The labels stay
    lazy, so each call answers in the active language."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)


# Per field: its choices as given, and {value: lazy label} read from them.
_labels_of: dict[models.Field, tuple[object, dict]] = {}


def _choice_labels(field: models.Field) -> dict:
    choices = field.choices
    known = _labels_of.get(field)
    if known is None or known[0] is not choices:
        known = _labels_of[field] = (
            choices,
            {make_hashable(value): label for value, label in field.flatchoices},
        )
    return known[1]


class TranslationProvenance(ChoiceLabels, models.Model):
    """A record whose translated texts know where they come from."""

    translation_provenance = models.JSONField(
        _("provenance of the translations"),
        default=dict,
        blank=True,
        validators=[validate_provenance_shape],
        help_text=_(
            "Per field and language: original (written in it), reviewed "
            "(translated and reviewed) or unreviewed (translated, not yet "
            "reviewed). A text without an entry counts as the original in the "
            "record's original language and as not yet reviewed in the others."
        ),
    )

    class Meta:
        abstract = True

    @classmethod
    def required_texts(cls) -> tuple[str, ...]:
        """The translated fields a record cannot be without (`title`, `summary`)."""
        return tuple(
            name
            for name in translated_fields(cls)
            if not cls._meta.get_field(name).blank
        )

    def clean_fields(self, exclude=None) -> None:
        # A record that names its original language needs its required texts in
        # that language (clean()), not in the reader's or in English, which is
        # what the untranslated field would check.
        if has_original_language(type(self)):
            exclude = {*(exclude or ()), *self.required_texts()}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if has_original_language(type(self)):
            self._clean_original_texts()
        unknown = set(self.translation_provenance or {}) - set(
            translated_fields(type(self))
        )
        if unknown:
            raise ValidationError(
                {
                    "translation_provenance": _(
                        "Not translated fields of this record: %(fields)s."
                    )
                    % {"fields": ", ".join(sorted(unknown))}
                }
            )

    def _clean_original_texts(self) -> None:
        """Each required text in the original language; an English one serves in
        its stead, as it does for readers (a case first written in German whose
        German text the portal does not have yet is read in English)."""
        language = self.original_language
        if language not in language_codes():
            return  # clean_fields() names the unknown language.
        missing = {
            language_column(name, language): ValidationError(
                _(
                    "Required in %(language)s, the language this record was first "
                    "written in (its original language)."
                ),
                code="required_in_original_language",
                params={"language": language_name(language)},
            )
            for name in self.required_texts()
            if not any(
                (getattr(self, language_column(name, code), None) or "").strip()
                for code in (language, FALLBACK_LANGUAGE)
            )
        }
        if missing:
            raise ValidationError(missing)


class ContentVersion(models.Model):
    """The version of the public data: one row, moved by the database itself in
    the same transaction as every write to a public table (core.generation)."""

    version = models.BigIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
