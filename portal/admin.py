"""The admin site's own titles, and the site pages moderators keep; each app
registers its own models in its admin.py."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin import ProvenanceAdminMixin, StaleSaveMixin
from portal.models import SitePage

admin.site.site_header = _("ReSource Portal administration")
admin.site.site_title = _("ReSource Portal")
admin.site.index_title = _("Post-mining potentials and good practices")


@admin.register(SitePage)
class SitePageAdmin(StaleSaveMixin, ProvenanceAdminMixin, TabbedTranslationAdmin):
    """Moderators edit the texts (the permission comes with their group); the
    pages themselves are fixed, one per kind, so only superusers add or delete."""

    list_display = ("title", "kind", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "title", "body", "updated_at")}),
        ProvenanceAdminMixin.provenance_fieldset,
    )
    readonly_fields = ("updated_at",)
    # Room for a whole privacy notice without scrolling a small box.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 24, "cols": 90})}
    }

    def get_readonly_fields(self, request, obj=None):
        # A page's kind is its address: changing it would move the page.
        readonly = super().get_readonly_fields(request, obj)
        return ("kind", *readonly) if obj is not None else readonly

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
