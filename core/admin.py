from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationGenericTabularInline

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
