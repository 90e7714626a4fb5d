"""The admin of editorial records: who sees and changes what, transitions, history,
import and export. Each app's admin of its potentials or good practices builds on
`PublishableAdmin`."""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRefresh
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from accounts.access import EditorialAccess
from core.admin import (
    VERSION_FIELD,
    MapPickerMixin,
    StaleSaveMixin,
    TranslationTabsMixin,
    validation_text,
)
from core.languages import has_original_language
from core.spreadsheets import SafeCSV, SafeXLSX
from editorial.history import history_baseline, history_changes, versions_of
from editorial.imports import (
    import_job_confirm,
    import_job_progress,
    import_job_start,
    import_jobs_of,
    read_dataset,
)
from editorial.models import EDITORIAL_FIELDS, ImportJob, Transition
from editorial.notifications import (
    editor_ids_of,
    transition_recipients_without_email,
)
from editorial.rules import (
    can_change_content,
    can_change_owner,
    can_create,
    can_delete,
    can_restore,
    can_transition,
    frozen_for_review,
    manages,
    may_moderate,
    may_transition,
    transitions_for,
)
from editorial.services import (
    moderated_columns,
    publishable_create,
    publishable_delete,
    publishable_restore,
    publishable_transition,
    publishable_update,
)


class StaleVersion(Exception):
    """The record changed since the user saw it."""


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the editor"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What should change before the record is submitted again."),
    )


def _warn_unreachable(request, names) -> None:
    """Name the people a transition concerns who get no mail: nobody is
    skipped silently."""
    if names:
        messages.warning(
            request,
            gettext(
                "Not told by e-mail, for they have no e-mail address: %(users)s. "
                "Add their addresses in the users' admin."
            )
            % {"users": ", ".join(sorted(names))},
        )


def _error_text(error: Exception, model=None) -> str:
    return validation_text(error, model)


class PublishableAdmin(
    StaleSaveMixin,
    MapPickerMixin,
    TranslationTabsMixin,
    ImportExportMixin,
    VersionAdmin,
    TabbedTranslationAdmin,
):
    """Editorial records: who may see, edit and move them comes from
    editorial.rules, and every write goes through editorial.services."""

    change_form_template = "admin/publishable/change_form.html"
    formats = [CSV, XLSX]
    # Exports no spreadsheet program runs as formulas (core/spreadsheets.py).
    export_formats = [SafeCSV, SafeXLSX]
    history_latest_first = True
    object_history_template = "admin/publishable/object_history.html"
    readonly_fields = (
        "status",
        "published_at",
        "review_comment",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    )
    editorial_fieldset = (
        _("Editorial"),
        {
            "fields": (
                "status",
                "owner",
                "published_at",
                "review_comment",
                ("created_at", "created_by"),
                ("updated_at", "updated_by"),
            )
        },
    )
    actions = ["submit_selected", "publish_selected", "archive_selected"]

    def patch_translation_field(self, db_field, field, request, **kwargs) -> None:
        super().patch_translation_field(db_field, field, request, **kwargs)
        # A record's required texts are required in its original language, which
        # the model checks (TranslationProvenance.clean), not in English.
        if hasattr(db_field, "translated_field") and has_original_language(self.model):
            field.required = False

    # --- Who sees and changes what ----------------------------------------------

    def get_queryset(self, request):
        # The change list adds list_select_related only to a queryset that
        # selects nothing yet, so it is named here with the owner.
        related = self.list_select_related
        queryset = (
            super()
            .get_queryset(request)
            .select_related(
                "owner", *(related if isinstance(related, (list, tuple)) else ())
            )
        )
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Linking to a record (a good practice's related potentials) may pick
            # any record the user can read, not only those they manage.
            return queryset.visible_to(request.user)
        return queryset.managed_by(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or manages(request.user, obj))

    def has_change_permission(self, request, obj=None) -> bool:
        # A record in review shows read-only to everyone, with its transitions.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_content(request.user, obj))

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and can_create(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_delete(request.user, obj)

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not can_change_owner(request.user, obj):
            fields = (*fields, "owner")
        if not may_moderate(request.user):
            fields = (*fields, *moderated_columns(self.model))
        return fields

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if not EditorialAccess.of(request.user).sees_everything:
            # An editor picks from their own organisations: a short list.
            fields = tuple(name for name in fields if name != "owner")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        access = EditorialAccess.of(request.user)
        if db_field.name == "owner" and not access.sees_everything:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                pk__in=access.partner_ids
            )
            if len(access.partner_ids) == 1:
                kwargs["initial"] = next(iter(access.partner_ids))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- Writes go through the services -----------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and obj is not None:
            # Before the revision opens: the state to go back to on a first edit.
            history_baseline(obj)
        extra_context = {
            **(extra_context or {}),
            "transitions": transitions_for(request.user, obj) if obj else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            publishable_update(record=obj, by=request.user)
        else:
            publishable_create(record=obj, by=request.user)

    def delete_model(self, request, obj) -> None:
        publishable_delete(record=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            publishable_delete(record=obj, by=request.user)

    @contextmanager
    def create_revision(self, request):
        if getattr(request, "_revision_per_record", False):
            yield
            return
        with super().create_revision(request):
            yield

    def changelist_view(self, request, extra_context=None):
        # django-reversion would gather a bulk action on many records into one
        # revision, and restoring one record would then revert them all; here each
        # record's service opens a revision of its own.
        request._revision_per_record = True
        return super().changelist_view(request, extra_context)

    # --- Transitions --------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<str:transition>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "import/job/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/job/<int:job_id>/progress/",
                self.admin_site.admin_view(self.import_job_progress_view),
                name="{}_{}_import_job_progress".format(*info),
            ),
            path(
                "import/job/<int:job_id>/confirm/",
                self.admin_site.admin_view(self.import_job_confirm_view),
                name="{}_{}_import_job_confirm".format(*info),
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, transition):
        if transition not in Transition.values:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not can_transition(request.user, obj, transition):
            raise PermissionDenied
        label = Transition(transition).label
        form = TransitionForm(request.POST if request.method == "POST" else None)
        # The version the moderator saw on the record's page (or, opened from
        # elsewhere, on this one): publishing releases that or nothing.
        seen = request.POST.get(VERSION_FIELD) or request.GET.get(VERSION_FIELD)
        if request.method == "POST" and form.is_valid():
            unreachable = transition_recipients_without_email(
                record=obj,
                transition=transition,
                by=request.user,
                editor_ids=editor_ids_of(obj),
            )
            try:
                with transaction.atomic():
                    self._check_seen_version(request, obj, transition, seen)
                    publishable_transition(
                        record=obj,
                        by=request.user,
                        transition=transition,
                        comment=form.cleaned_data["comment"],
                    )
            except StaleVersion as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[obj.pk],
                    )
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "comment" in error.error_dict:
                    form.add_error("comment", error.error_dict["comment"])
                else:
                    messages.error(request, _error_text(error, self.model))
            else:
                messages.success(
                    request,
                    gettext("“%(record)s” now has the status “%(status)s”.")
                    % {"record": obj, "status": obj.get_status_display()},
                )
                _warn_unreachable(request, unreachable)
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[obj.pk],
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}: {obj}",
            "opts": self.opts,
            "original": obj,
            "transition": transition,
            "transition_label": label,
            "form": form,
            "needs_comment": transition == Transition.SEND_BACK,
            "version_field": VERSION_FIELD,
            "version_token": seen or self.stored_version(request, obj.pk)[1],
        }
        return TemplateResponse(request, "admin/publishable/transition.html", context)

    def _check_seen_version(self, request, obj, transition: str, seen) -> None:
        """Publishing checks, under the record's lock, that it is still the
        version the moderator saw."""
        if transition != Transition.PUBLISH or not seen:
            return
        _stored, token = self.stored_version(request, obj.pk, lock=True)
        if token != seen:
            raise StaleVersion(
                gettext(
                    "“%(record)s” was not published: it changed after you opened "
                    "it. Read it again as it is now, then publish."
                )
                % {"record": obj}
            )

    def _apply_to_selected(self, request, queryset, transition: str) -> None:
        done = 0
        unreachable: set[str] = set()
        for obj in queryset:
            missing = transition_recipients_without_email(
                record=obj,
                transition=transition,
                by=request.user,
                editor_ids=editor_ids_of(obj),
            )
            try:
                publishable_transition(
                    record=obj, by=request.user, transition=transition
                )
            except (PermissionDenied, ValidationError) as error:
                messages.warning(
                    request,
                    gettext("“%(record)s”: %(reason)s")
                    % {
                        "record": obj,
                        "reason": _error_text(error, self.model)
                        or gettext("not allowed"),
                    },
                )
            else:
                done += 1
                unreachable.update(missing)
        _warn_unreachable(request, unreachable)
        if done:
            messages.success(
                request,
                gettext("%(action)s: %(count)d record(s).")
                % {"action": Transition(transition).label, "count": done},
            )

    @admin.action(description=_("Submit selected records for review"))
    def submit_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, Transition.SUBMIT)

    @admin.action(description=_("Publish selected records"))
    def publish_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, Transition.PUBLISH)

    @admin.action(description=_("Archive selected records"))
    def archive_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, Transition.ARCHIVE)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name, transition in (
            ("submit_selected", Transition.SUBMIT),
            ("publish_selected", Transition.PUBLISH),
            ("archive_selected", Transition.ARCHIVE),
        ):
            if not may_transition(request.user, transition):
                actions.pop(name, None)
        return actions

    # --- History: per record, readable, restorable --------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One version: what it changed, what restoring it would change, and a
        button to restore it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        versions = versions_of(obj)
        version = get_object_or_404(versions, pk=version_id)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
        )
        if request.method == "POST":
            if not can_restore(request.user, obj):
                raise PermissionDenied
            try:
                publishable_restore(record=obj, version=version, by=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(
                    request,
                    gettext("The earlier version of “%(record)s” is restored.")
                    % {"record": obj},
                )
                return HttpResponseRedirect(change_url)
        previous = versions.filter(pk__lt=version.pk).last()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Version of %(date)s")
            % {
                "date": date_format(
                    timezone.localtime(version.revision.date_created),
                    "DATETIME_FORMAT",
                )
            },
            "opts": self.opts,
            "original": obj,
            "version": version,
            "change_url": change_url,
            "made": history_changes(self.model, previous, version),
            # A restore keeps the status, owner and comment: only the
            # transitions move them, so they are no part of its difference.
            "restoring": history_changes(
                self.model, obj, version, skip=EDITORIAL_FIELDS
            ),
            "can_restore": can_restore(request.user, obj)
            and not frozen_for_review(obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/publishable/revision.html", context)

    def recoverlist_view(self, request, extra_context=None):
        # Only those who delete may bring back what was deleted.
        if not can_delete(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not can_delete(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    # --- Import and export --------------------------------------------------------
    # An import runs as a job of the task worker (editorial.imports): the upload
    # is read here only to report a file that cannot be read at once; the check
    # (dry run) and, once confirmed, the import itself run in the worker, and the
    # job's page follows them.

    import_template_name = "admin/editorial/import.html"

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def _import_job_url(self, job: ImportJob, view: str = "import_job") -> str:
        info = self.opts.app_label, self.opts.model_name, view
        return reverse("admin:{}_{}_{}".format(*info), args=[job.pk])

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            input_format = self.get_import_formats()[int(form.cleaned_data["format"])]
            upload = form.cleaned_data["import_file"]
            data = b"".join(upload.chunks())
            try:
                dataset = read_dataset(data, input_format.__name__)
            except Exception as error:  # the library's own reading errors
                self.add_data_read_fail_error_to_form(form, error)
            else:
                if not dataset:
                    form.add_error(
                        "import_file",
                        _(
                            "The file has no rows to import. Check that it has a "
                            "header line and rows below it."
                        ),
                    )
            if not form.errors:
                job = import_job_start(
                    by=request.user,
                    resource_class=self.choose_import_resource_class(form, request),
                    data=data,
                    file_name=upload.name,
                    file_format=input_format.__name__,
                    rows_total=len(dataset),
                )
                return HttpResponseRedirect(self._import_job_url(job))
        resources = [
            resource_class(**self.get_import_resource_kwargs(request, form=form))
            for resource_class in self.get_import_resource_classes(request)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.opts,
            "media": self.media + form.media,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource.get_user_visible_fields()],
                )
                for resource in resources
            ],
            "import_jobs": [
                (job, self._import_job_url(job))
                for job in import_jobs_of(request.user, self.opts.label_lower)
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def process_import(self, request, **kwargs):
        # The library's confirmation reads a file it left in a temporary folder;
        # here a confirmation is a job's (import_job_confirm_view).
        raise Http404

    def _import_job(self, request, job_id: int) -> ImportJob:
        if not self.has_import_permission(request):
            raise PermissionDenied
        # Only the user who started an import follows it.
        return get_object_or_404(
            ImportJob.objects.defer("data"),
            pk=job_id,
            owner=request.user,
            model=self.opts.label_lower,
        )

    def _import_job_context(self, request, job: ImportJob) -> dict:
        return {
            "job": job,
            "rows_done": import_job_progress(job),
            "progress_url": self._import_job_url(job, "import_job_progress"),
            "job_url": self._import_job_url(job),
        }

    def import_job_view(self, request, job_id: int):
        job = self._import_job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            **self._import_job_context(request, job),
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            # Rendered by the worker from editorial's own template, escaped there.
            "result_html": mark_safe(job.result_html),  # noqa: S308
            "confirm_url": self._import_job_url(job, "import_job_confirm"),
            "import_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import"
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/import_job.html", context)

    def import_job_progress_view(self, request, job_id: int):
        job = self._import_job(request, job_id)
        if not job.is_running and request.htmx:
            # Done: the whole page, with its preview or result.
            return HttpResponseClientRefresh()
        return TemplateResponse(
            request,
            "admin/editorial/import_job_progress.html",
            self._import_job_context(request, job),
        )

    def import_job_confirm_view(self, request, job_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = self._import_job(request, job_id)
        if not import_job_confirm(job=job, by=request.user):
            messages.error(
                request,
                gettext(
                    "This import can no longer be confirmed (%(status)s). Upload "
                    "the file again."
                )
                % {"status": job.get_status_display()},
            )
        return HttpResponseRedirect(self._import_job_url(job))

    def get_import_data_kwargs(self, **kwargs):
        # A row that fails on confirmation rolls back the whole file too.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, UnicodeError):
            message = _(
                "This file is not in UTF-8, the only text encoding the import "
                "reads, so letters such as ä, ł or ő would come out wrong. In your "
                "spreadsheet program save it as “CSV UTF-8” (or as XLSX) and "
                "upload it again. Nothing has been imported."
            )
        else:
            message = _(
                "This file could not be read in the chosen format. Check that the "
                "format matches the file (CSV or XLSX) and upload it again. Nothing "
                "has been imported."
            )
        form.add_error("import_file", message)
