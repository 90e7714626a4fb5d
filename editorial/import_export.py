"""Import and export of editorial records as CSV and XLSX (django-import-export).

Rows are matched by slug. Every translated field has one column per language
(`title_en`, `title_de`…); partners, regions and taxonomy are named by slug. A row
is written through the same services as an admin form, so the same rules hold: an
editor imports only for their own organisation, a new record starts as a draft,
the status column is exported but never imported, and every row leaves a revision
in the history.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy, deepcopy

import reversion
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from accounts.access import EditorialAccess
from editorial.history import history_baseline
from editorial.rules import can_change_owner, can_edit, can_own, manages
from editorial.services import publishable_create, publishable_update

# The related records of each model by slug, read once per import instead of once
# per cell (`slug_lookups`); unset outside an import.
_lookups: ContextVar[dict | None] = ContextVar("import_slug_lookups", default=None)


@contextmanager
def slug_lookups():
    """Within this block the slug widgets read each related table once."""
    token = _lookups.set({})
    try:
        yield
    finally:
        _lookups.reset(token)


def _by_slug(model) -> dict | None:
    lookups = _lookups.get()
    if lookups is None:
        return None
    if model not in lookups:
        lookups[model] = {
            record.slug: record for record in model._default_manager.all()
        }
    return lookups[model]


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error of its cell."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        known = _by_slug(self.model)
        try:
            if known is None or not value:
                return super().clean(value, row, **kwargs)
            if value not in known:
                raise self.model.DoesNotExist
            return known[value]
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
        known = _by_slug(self.model)
        wanted = {slug.strip() for slug in str(value or "").split(",") if slug.strip()}
        if known is None:
            found = super().clean(value, row, **kwargs)
            missing = wanted - set(found.values_list("slug", flat=True))
        else:
            found = [known[slug] for slug in sorted(wanted) if slug in known]
            missing = wanted - set(known)
        if missing:
            raise ValueError(
                _("There is no %(kind)s with the slug(s) %(slugs)s.")
                % {
                    "kind": self.model._meta.verbose_name,
                    "slugs": ", ".join(sorted(missing)),
                }
            )
        return found


def _related_names(model) -> list[str]:
    """The many-to-many fields and the relations the history follows."""
    follow = (
        reversion.revisions._get_options(model).follow
        if reversion.is_registered(model)
        else ()
    )
    return [field.name for field in model._meta.many_to_many] + list(follow)


def _known_related(instance, name: str, values: list) -> None:
    """Tell `instance` its related records under `name`, as prefetch_related()
    does, so that the revision of a new record reads them without a query."""
    related_model = instance._meta.get_field(name).related_model
    queryset = related_model._default_manager.all()
    queryset._result_cache = list(values)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


# The rows of a file whose differences the dry run shows.
PREVIEW_ROWS = 100


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
        # Every record the file names, read in one query.
        instance_loader_class = CachedInstanceLoader

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._stored = None
        self._links: dict = {}
        # Called with the number of each row once it is done (a job's progress).
        self.on_row = None

    def import_data(self, dataset, dry_run=False, **kwargs):
        self._links = {}
        # Each resource its own options: the library changes them while importing.
        self._meta = copy(type(self)._meta)
        # The differences are shown for the dry run only (a confirmation that
        # fails shows its errors); unchanged rows are still found and skipped.
        self._html_diffs = dry_run
        with slug_lookups():
            return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def _pending_links(self, instance, name: str, values: list) -> None:
        """The many-to-many rows of a new record, written for the whole file at
        its end (`after_import`): one statement per field instead of two per
        record. The record's own save has told the API cache of the change."""
        field = instance._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        self._links.setdefault(through, []).extend(
            through(**{f"{source}_id": instance.pk, f"{target}_id": value.pk})
            for value in values
        )

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        links, self._links = self._links, {}
        for through, rows in links.items():
            through._default_manager.bulk_create(rows, batch_size=2000)

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        # The record as stored, before the row changes it: who may edit it.
        self._stored = None if new else deepcopy(instance)

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
        # Drawing a row's differences costs more than importing it: the preview
        # draws the first PREVIEW_ROWS and counts the rest. A new record past
        # those needs no comparison at all (an update does: it finds unchanged
        # rows, which are skipped).
        preview = (
            getattr(self, "_html_diffs", True)
            and kwargs.get("row_number", 0) <= PREVIEW_ROWS
        )
        self._meta.skip_html_diff = not preview
        self._meta.skip_diff = existing is None and not preview
        # One revision per row, so restoring one record never touches another.
        # Managed by hand: the record is added once its many-to-many cells are
        # saved, not again after each of them.
        # Within the import's transaction, without a savepoint per row: a row
        # that fails stops the whole file anyway.
        with reversion.create_revision(manage_manually=True, atomic=False):
            if self.user is not None and self.user.is_authenticated:
                reversion.set_user(self.user)
            reversion.set_comment(_("Imported from a file."))
            result = super().import_row(row, instance_loader, **kwargs)
        if self.on_row is not None:
            self.on_row(kwargs.get("row_number", 0))
        return result

    def save_m2m(self, instance, row, **kwargs) -> None:
        if self._stored is None and instance.pk is not None:
            # A record created by this row has no choices to replace, only to add.
            for field in self.get_import_fields():
                if (
                    isinstance(field.widget, widgets.ManyToManyWidget)
                    and field.attribute
                    and not field.readonly
                    and field.column_name in row
                ):
                    values = list(field.clean(row) or [])
                    self._pending_links(instance, field.attribute, values)
                    _known_related(instance, field.attribute, values)
        else:
            super().save_m2m(instance, row, **kwargs)
        if instance.pk is not None and reversion.is_active():
            reversion.add_to_revision(instance)

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
        stored = self._stored
        if stored is not None:
            if not can_edit(self.user, stored):
                if stored.is_public or manages(self.user, stored):
                    message = _(
                        "You may not change “%(record)s”: it belongs to another "
                        "organisation or is already published."
                    ) % {"record": stored}
                else:
                    # Another organisation's unpublished record: not even its
                    # title is the user's to read.
                    message = _(
                        "The slug “%(slug)s” belongs to a record of another "
                        "organisation, which you may not change. Choose another "
                        "slug."
                    ) % {"slug": stored.slug}
                errors.setdefault(NON_FIELD_ERRORS, []).append(message)
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
        if errors:
            # With the model's own errors, so that the row names all it has wrong.
            super().validate_instance(instance, errors, validate_unique)
        # Otherwise the service validates the record when it saves it (the same
        # `full_clean()`); its ValidationError marks the row invalid all the same.

    def do_instance_save(self, instance, is_create):
        if is_create:
            # A new record has no related rows yet: its history need not ask.
            for name in _related_names(type(instance)):
                _known_related(instance, name, [])
            publishable_create(record=instance, by=self.user)
        else:
            publishable_update(record=instance, by=self.user)
