"""Import and export of editorial records as CSV and XLSX (django-import-export).

Rows are matched by slug. Every translated field has one column per language
(`title_en`, `title_de`…); partners, regions and taxonomy are named by slug. A row
is written through the same services as an admin form, so the same rules hold: an
editor imports only for their own organisation, a new record starts as a draft,
the status column is exported but never imported, and every row leaves a revision
in the history.
"""

from __future__ import annotations

import reversion
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts.access import EditorialAccess
from editorial.history import history_baseline
from editorial.rules import can_change_owner, can_edit, can_own
from editorial.services import publishable_create, publishable_update


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error of its cell."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("There is no %(kind)s with the slug “%(slug)s”.")
                % {"kind": self.model._meta.verbose_name, "slug": value}
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Related records named by comma-separated slugs; unknown ones are errors
    (the library's own widget would drop them without a word)."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", separator=",", **kwargs)

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {slug.strip() for slug in str(value or "").split(",") if slug.strip()}
        missing = wanted - set(found.values_list("slug", flat=True))
        if missing:
            raise ValueError(
                _("There is no %(kind)s with the slug(s) %(slugs)s.")
                % {
                    "kind": self.model._meta.verbose_name,
                    "slugs": ", ".join(sorted(missing)),
                }
            )
        return found


class UnknownColumns(ValueError):
    """The file has columns that no field matches; nothing is imported."""


class PublishableResource(resources.ModelResource):
    owner = fields.Field(
        attribute="owner",
        column_name="owner",
        widget=SlugWidget(apps.get_model(settings.ORGANISATION_MODEL)),
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def before_import(self, dataset, **kwargs) -> None:
        known = {field.column_name for field in self.get_import_fields()}
        known.add("status")  # exported, so a round trip must not fail on it
        unknown = [header for header in dataset.headers or [] if header not in known]
        if unknown:
            # Without this a misspelt column ("titel_de") would be dropped silently.
            del dataset[: len(dataset)]
            raise UnknownColumns(
                _(
                    "The file has columns this import does not know: %(unknown)s. "
                    "Rename or remove them and upload the file again; nothing has "
                    "been imported. The known columns are: %(known)s."
                )
                % {
                    "unknown": ", ".join(str(header) for header in unknown),
                    "known": ", ".join(sorted(known)),
                }
            )

    def import_row(self, row, instance_loader, **kwargs):
        try:
            existing = self.get_instance(instance_loader, row)
        except Exception:  # a bad row: reported by the import itself below
            existing = None
        if existing is not None:
            history_baseline(existing)
        # One revision per row, so restoring one record never touches another.
        with reversion.create_revision():
            if self.user is not None and self.user.is_authenticated:
                reversion.set_user(self.user)
            reversion.set_comment(_("Imported from a file."))
            return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many cells are only read after the save; check them now so that
        # their errors, too, are reported per cell and stop the whole file.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and (
                field.column_name in row
            ):
                try:
                    field.widget.clean(row[field.column_name], row=row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        model = type(instance)
        stored = model._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            if not can_edit(self.user, stored):
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _(
                        "You may not change “%(record)s”: it belongs to another "
                        "organisation or is already published."
                    )
                    % {"record": stored}
                )
            elif instance.owner_id != stored.owner_id and not can_change_owner(
                self.user, stored
            ):
                errors.setdefault("owner", []).append(
                    _("Only a moderator can hand a record to another organisation.")
                )
        else:
            access = EditorialAccess.of(self.user)
            if instance.owner_id is None and len(access.partner_ids) == 1:
                instance.owner_id = next(iter(access.partner_ids))
            if instance.owner_id is not None and not can_own(
                self.user, instance.owner_id
            ):
                errors.setdefault("owner", []).append(
                    _("You can only import records of your own organisation.")
                )
        super().validate_instance(instance, errors, validate_unique)

    def do_instance_save(self, instance, is_create):
        if is_create:
            publishable_create(record=instance, by=self.user)
        else:
            publishable_update(record=instance, by=self.user)
