"""File imports as background jobs of the task worker.

The admin hands an uploaded file to `import_job_start`; a worker (`manage.py
db_worker`, django-tasks with its database backend, so the queue lives in
PostgreSQL beside the data) checks it in a dry run and keeps the preview; the
user reads it and confirms (`import_job_confirm`), and a worker imports the file.
Each run is one transaction, so a failing row writes nothing.

Progress is counted in the "jobs" cache, outside the import's transaction: a
rolled-back import cannot take it back, and a cache that fails only stops the
count, never the import. The uploaded file is kept in the job only while it may
be needed: it is emptied when the job ends, and a checked import that nobody
confirms expires after `IMPORT_JOB_CONFIRM_HOURS` (a deferred task of the same
worker; `manage.py import_jobs_expire` does it for any that task missed).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.cache import caches
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task
from import_export.formats import base_formats
from import_export.results import RowResult
from import_export.signals import post_import

from editorial.import_export import PREVIEW_ROWS, PublishableResource
from editorial.models import ImportJob

if TYPE_CHECKING:
    import tablib
    from django.contrib.auth.models import AbstractBaseUser
    from import_export.results import Result

logger = logging.getLogger(__name__)

Status = ImportJob.Status
PROGRESS_CACHE = "jobs"
# The formats a job may name, by their class names.
FORMATS = {"CSV": base_formats.CSV, "XLSX": base_formats.XLSX}
# Excel writes a byte order mark at the start of "CSV UTF-8"; the admin's default.
CSV_ENCODING = "utf-8-sig"


def read_dataset(data: bytes, file_format: str) -> tablib.Dataset:
    """The rows of an uploaded file; raises what the format's reader raises
    (UnicodeError for a file not in UTF-8)."""
    input_format = FORMATS[file_format]()
    if not input_format.is_binary():
        input_format.encoding = CSV_ENCODING
    return input_format.create_dataset(data)


def progress_key(job: ImportJob) -> str:
    """The job's count in the progress cache: named by its creation too, as a
    database started afresh numbers its jobs from 1 again, and the cache (a
    folder of files on a development machine) may still hold older counts."""
    return f"import-job:{job.pk}:{job.created_at.timestamp():.6f}:rows-done"


def import_job_progress(job: ImportJob) -> int:
    """Rows done so far: the worker's count while it runs, the job's own after."""
    if job.is_running:
        try:
            counted = caches[PROGRESS_CACHE].get(progress_key(job))
        except Exception:  # an unreachable cache: the bar waits, the page works
            logger.warning("Import progress unreadable", exc_info=True)
            counted = None
        if counted is not None:
            return min(int(counted), job.rows_total)
    return job.rows_done


class _ProgressCounter:
    """Called after each row; writes the count about a hundred times per run."""

    def __init__(self, job: ImportJob):
        self.key = progress_key(job)
        self.total = job.rows_total
        self.every = max(1, job.rows_total // 100)
        self.failed = False
        # A confirmation starts from nothing, not from the check's last count.
        self(0)

    def __call__(self, done: int) -> None:
        if self.failed or (done % self.every and done != self.total):
            return
        try:
            caches[PROGRESS_CACHE].set(self.key, done, timeout=24 * 3600)
        except Exception:
            # Counting is a courtesy: the import goes on without it.
            self.failed = True
            logger.warning("Import progress not recorded", exc_info=True)


def _resource_class(path: str) -> type[PublishableResource]:
    resource_class = import_string(path)
    if not (
        isinstance(resource_class, type)
        and issubclass(resource_class, PublishableResource)
    ):
        raise ValueError(f"{path} is not an editorial import resource")
    return resource_class


# --- Services: what the admin calls -------------------------------------------------


def import_job_start(
    *,
    by: AbstractBaseUser,
    resource_class: type[PublishableResource],
    data: bytes,
    file_name: str,
    file_format: str,
    rows_total: int,
) -> ImportJob:
    """Keep the file and queue its check (a dry run) for the worker."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown import format {file_format!r}")
    model = resource_class._meta.model._meta
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=by,
            model=model.label_lower,
            resource=f"{resource_class.__module__}.{resource_class.__qualname__}",
            file_name=file_name[:255],
            file_format=file_format,
            data=data,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            rows_total=rows_total,
        )
        # The queue is a table of the same database: the task exists exactly
        # when the job does.
        import_job_check.enqueue(job.pk)
    return job


def import_job_confirm(*, job: ImportJob, by: AbstractBaseUser) -> bool:
    """Queue the import of a checked file; False when it can no longer be
    (expired, already confirmed)."""
    if job.owner_id != by.pk:
        return False
    with transaction.atomic():
        moved = ImportJob.objects.filter(
            pk=job.pk, status=Status.CHECKED, data__isnull=False
        ).update(status=Status.CONFIRMED, rows_done=0)
        if moved:
            import_job_run.enqueue(job.pk)
    job.refresh_from_db()
    return bool(moved)


def import_jobs_of(user: AbstractBaseUser, model: str, limit: int = 10):
    """A user's latest imports into `model`, newest first, without their files."""
    return ImportJob.objects.filter(owner=user, model=model).defer(
        "data", "result_html"
    )[:limit]


def import_jobs_expire(*, now=None) -> int:
    """Expire the checked imports older than `IMPORT_JOB_CONFIRM_HOURS` and empty
    the files of any job that has ended; the number of jobs expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IMPORT_JOB_CONFIRM_HOURS)
    expired = ImportJob.objects.filter(
        status=Status.CHECKED, checked_at__lt=cutoff
    ).update(status=Status.EXPIRED, data=None, finished_at=now)
    ImportJob.objects.filter(status__in=ImportJob.ENDED, data__isnull=False).update(
        data=None
    )
    return expired


# --- Tasks: what the worker runs -----------------------------------------------------


def _claim(job_id: int, expected: str, running: str) -> ImportJob | None:
    """The job, moved from `expected` to `running`; None if another worker has
    it or it moved on."""
    if not ImportJob.objects.filter(pk=job_id, status=expected).update(
        status=running, rows_done=0
    ):
        return None
    return ImportJob.objects.get(pk=job_id)


def _import(job: ImportJob, *, dry_run: bool) -> Result:
    resource = _resource_class(job.resource)(user=job.owner)
    resource.on_row = _ProgressCounter(job)
    dataset = read_dataset(bytes(job.data), job.file_format)
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        # A row that fails on confirmation rolls back the whole file too.
        rollback_on_validation_errors=True,
        file_name=job.file_name,
        user=job.owner,
        # The admin log names each imported record.
        retain_instance_in_row_result=not dry_run,
    )


def _summary(result: Result) -> dict:
    return {
        **dict(result.totals),
        "invalid_rows": [
            {
                "number": row.number,
                "errors": {
                    str(field): [str(message) for message in messages]
                    for field, messages in row.error_dict.items()
                },
            }
            for row in result.invalid_rows
        ],
        "row_errors": [
            {"number": number, "errors": [str(error.error) for error in errors]}
            for number, errors in result.row_errors()
        ],
        "base_errors": [str(error.error) for error in result.base_errors],
    }


def _render(result: Result) -> str:
    shown = [row for row in result.valid_rows() if row.diff is not None]
    return render_to_string(
        "admin/editorial/import_result.html",
        {
            "result": result,
            "import_error_display": ("message",),
            "preview_rows": shown[:PREVIEW_ROWS],
            "preview_more": len(result.valid_rows()) - len(shown[:PREVIEW_ROWS]),
        },
    )


def _finish(job: ImportJob, status: str, **fields) -> None:
    job.status = status
    job.rows_done = job.rows_total if status != Status.FAILED else job.rows_done
    for name, value in fields.items():
        setattr(job, name, value)
    if status in ImportJob.ENDED:
        job.data = None
        job.finished_at = timezone.now()
    job.save()


def _failed(job: ImportJob, error: Exception) -> None:
    logger.exception("Import job %s failed", job.pk)
    _finish(
        job,
        Status.FAILED,
        error=_(
            "The import stopped on an unexpected error; nothing has been imported. "
            "(%(error)s)"
        )
        % {"error": type(error).__name__},
    )


@task()
def import_job_check(job_id: int) -> str:
    """The dry run: every row validated and saved in a transaction rolled back
    at the end; the preview kept for the user."""
    job = _claim(job_id, Status.QUEUED, Status.CHECKING)
    if job is None:
        return "skipped"
    with translation.override(job.language):
        try:
            result = _import(job, dry_run=True)
            html = _render(result)
        except Exception as error:
            _failed(job, error)
            return job.status
        clean = not (result.has_errors() or result.has_validation_errors())
        _finish(
            job,
            Status.CHECKED if clean else Status.INVALID,
            summary=_summary(result),
            result_html=html,
            checked_at=timezone.now(),
        )
    if clean:
        hours = settings.IMPORT_JOB_CONFIRM_HOURS
        import_job_expire.using(
            run_after=timezone.now() + timedelta(hours=hours)
        ).enqueue(job.pk)
    return job.status


@task()
def import_job_run(job_id: int) -> str:
    """The confirmed import, all rows in one transaction."""
    job = _claim(job_id, Status.CONFIRMED, Status.IMPORTING)
    if job is None:
        return "skipped"
    with translation.override(job.language):
        try:
            result = _import(job, dry_run=False)
        except Exception as error:
            _failed(job, error)
            return job.status
        if result.has_errors() or result.has_validation_errors():
            # Rolled back as a whole: the data changed since the check.
            _finish(
                job,
                Status.FAILED,
                summary=_summary(result),
                result_html=_render(result),
                error=_(
                    "Some rows failed on import, so nothing has been imported. "
                    "The records may have changed since the file was checked: "
                    "upload it again to see what now fails."
                ),
            )
            return job.status
        _log_entries(job, result)
        _finish(job, Status.DONE, summary=_summary(result), result_html="")
    post_import.send(sender=None, model=_resource_class(job.resource)._meta.model)
    return job.status


@task()
def import_job_expire(job_id: int) -> str:
    """A checked import never confirmed: its file goes."""
    job = ImportJob.objects.filter(pk=job_id).only("status").first()
    if job is None:
        return "missing"
    import_jobs_expire()
    return ImportJob.objects.get(pk=job_id).status


def _log_entries(job: ImportJob, result: Result) -> None:
    """The admin's history of each record names the import, as the library's
    own import view does."""
    if getattr(settings, "IMPORT_EXPORT_SKIP_ADMIN_LOG", False):
        return
    flags = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}
    for import_type, flag in flags.items():
        instances = [
            row.instance for row in result.rows if row.import_type == import_type
        ]
        if instances:
            LogEntry.objects.log_actions(
                job.owner_id,
                instances,
                flag,
                change_message=_("Imported from %(file)s.") % {"file": job.file_name},
                single_object=False,
            )
