"""File imports as jobs of the task worker: large files, progress, all or
nothing, and nothing of the upload left behind."""

import csv
import io
import os
import tempfile
import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from editorial.history import versions_of
from editorial.imports import import_job_expire, import_jobs_expire, progress_key
from editorial.models import ImportJob
from potentials.models import Potential
from tests.factories import CategoryFactory, LegacyTypeFactory, RegionFactory
from tests.jobs import run_worker
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:potentials_potential_import")
HEADERS = ["slug", "title_en", "summary_en", "region", "category", "legacy_types"]
# A file larger than those that failed in a web request (about 200 rows), and
# than the preview draws (100), completes as a job. The 5,000 rows take
# longer than a test should on a shared machine: bench/imports.py times those.
LARGE = 300


@pytest.fixture
def staff():
    staff = make_staff()
    RegionFactory(slug="test-region")
    CategoryFactory(slug="test-category")
    LegacyTypeFactory(slug="test-legacy")
    return staff


def csv_upload(rows, name="potentials.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), "text/csv")


def row(slug, **changes) -> list[str]:
    values = {
        "slug": slug,
        "title_en": f"Heat from {slug}",
        "summary_en": "Mine water heats the town.",
        "region": "test-region",
        "category": "test-category",
        "legacy_types": "test-legacy",
        **changes,
    }
    return [values[header] for header in HEADERS]


def start(client, user, rows) -> ImportJob:
    client.force_login(user)
    response = client.post(IMPORT_URL, {"import_file": csv_upload(rows), "format": 0})
    assert response.status_code == 302
    job = ImportJob.objects.get(owner=user, pk=response["Location"].split("/")[-2])
    assert response["Location"] == job_url(job)
    return job


def job_url(job, view="import_job") -> str:
    return reverse(f"admin:potentials_potential_{view}", args=[job.pk])


def test_a_large_file_is_checked_and_imported_by_the_worker(client, staff):
    """The worker checks and imports the file, and the page follows its progress
    (one check of LARGE rows serves both)."""
    editor = staff.users["editor_a"]
    job = start(client, editor, [row(f"pit-{n}") for n in range(LARGE)])
    assert (job.status, job.rows_total) == (ImportJob.Status.QUEUED, LARGE)
    # Nothing happens in the request: the worker checks the file.
    page = client.get(job_url(job))
    assert "Waiting to be checked" in page.text
    assert 'hx-trigger="every 1s"' in page.text

    # The page's progress, asked for while the worker saves rows, counts up; it
    # is kept outside the import's transaction, which the dry run rolls back.
    seen = []

    def ask(sender, instance, created, **kwargs):
        if instance.slug.endswith("0"):
            answer = client.get(job_url(job, "import_job_progress"))
            seen.append(answer.context["rows_done"])

    post_save.connect(ask, sender=Potential)
    try:
        run_worker()
    finally:
        post_save.disconnect(ask, sender=Potential)
    assert len(seen) == LARGE // 10
    assert seen == sorted(seen)
    assert 0 < seen[len(seen) // 2] < LARGE
    job.refresh_from_db()
    assert job.rows_done == LARGE
    # After the dry run, rolled back: the count stands.
    assert caches["jobs"].get(progress_key(job)) == LARGE
    assert job.status == ImportJob.Status.CHECKED, job.summary
    assert job.summary["new"] == LARGE
    assert not Potential.objects.filter(slug__startswith="pit-").exists()
    page = client.get(job_url(job))
    assert "Confirm import" in page.text
    # The preview draws the first hundred rows and counts the others.
    assert "Heat from pit-99<" in page.text
    assert f"Heat from pit-{LARGE - 1}<" not in page.text
    assert f"{LARGE - 100} more rows, not shown" in page.text

    client.post(job_url(job, "import_job_confirm"))
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.rows_done == LARGE and job.data is None
    assert Potential.objects.filter(slug__startswith="pit-").count() == LARGE
    imported = Potential.objects.get(slug=f"pit-{LARGE // 2}")
    assert imported.owner == staff.partner_a and imported.created_by == editor
    assert [lt.slug for lt in imported.legacy_types.all()] == ["test-legacy"]
    assert versions_of(imported).get().revision.user == editor
    assert f"{LARGE} new" in client.get(job_url(job)).text.replace("\xa0", " ")


def test_a_row_failing_on_confirmation_writes_nothing(client, staff):
    """The check passed, then the data changed: the import stops as a whole."""
    job = start(client, staff.users["editor_a"], [row("pit-one"), row("pit-two")])
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    # Meanwhile partner B takes the second slug.
    make_record("potential", staff.partner_b, slug="pit-two", title_en="B's pit")

    client.post(job_url(job, "import_job_confirm"))
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "nothing has been imported" in job.error
    assert job.data is None
    assert not Potential.objects.filter(slug="pit-one").exists()
    assert Potential.objects.get(slug="pit-two").title_en == "B's pit"


def test_an_import_goes_on_when_the_progress_cache_is_down(client, staff):
    job = start(client, staff.users["editor_a"], [row("pit-one"), row("pit-two")])
    unreachable = {
        "BACKEND": "core.cache.RedisCache",
        # Nothing listens there: every command fails at once.
        "LOCATION": "redis://127.0.0.1:9/0",
    }
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": local, "jobs": unreachable}):
        run_worker()
        job.refresh_from_db()
        assert job.status == ImportJob.Status.CHECKED
        answer = client.get(job_url(job, "import_job_progress"))
        assert answer.status_code == 200
        client.post(job_url(job, "import_job_confirm"))
        assert client.get(job_url(job, "import_job_progress")).status_code == 200
        run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Potential.objects.filter(slug__in=["pit-one", "pit-two"]).count() == 2


def _temporary_files_holding(marker: bytes, since: float) -> list[str]:
    found = []
    for entry in os.scandir(tempfile.gettempdir()):
        if not entry.is_file() or entry.stat().st_mtime < since:
            continue
        if entry.stat().st_size < 1_000_000:
            with open(entry.path, "rb") as file:
                if marker in file.read():
                    found.append(entry.path)
    return found


def test_an_unconfirmed_import_expires_and_leaves_no_upload(client, staff, settings):
    """The worker expires a checked import nobody confirms: its file goes, and no
    copy of the upload is left in the temporary folder."""
    started = time.time() - 1
    marker = "Marker-7f3a9c-unconfirmed"
    job = start(client, staff.users["editor_a"], [row("pit-one", title_en=marker)])
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.data is not None
    expiry = DBTaskResult.objects.get(task_path__endswith="import_job_expire")
    assert expiry.args_kwargs["args"] == [job.pk]
    hours = settings.IMPORT_JOB_CONFIRM_HOURS
    assert expiry.run_after >= job.checked_at + timedelta(hours=hours)

    # Not yet due: the worker leaves it.
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED

    # The hours pass.
    ImportJob.objects.filter(pk=job.pk).update(
        checked_at=timezone.now() - timedelta(hours=hours, minutes=1)
    )
    DBTaskResult.objects.filter(pk=expiry.pk).update(run_after=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.EXPIRED
    assert job.data is None and job.finished_at is not None
    assert _temporary_files_holding(marker.encode(), started) == []

    # Too late to confirm.
    answer = client.post(job_url(job, "import_job_confirm"), follow=True)
    assert "can no longer be confirmed" in answer.text
    run_worker()
    assert not Potential.objects.filter(slug="pit-one").exists()


def test_the_expiry_command_catches_what_the_worker_missed(staff):
    old = timezone.now() - timedelta(days=3)
    checked, ended = (
        ImportJob.objects.create(
            owner=staff.users["editor_a"],
            model="potentials.potential",
            resource="potentials.import_export.PotentialResource",
            file_name="old.csv",
            file_format="CSV",
            data=b"slug\n",
            language="en",
            status=status,
            checked_at=old,
        )
        for status in (ImportJob.Status.CHECKED, ImportJob.Status.DONE)
    )
    out = io.StringIO()
    call_command("import_jobs_expire", stdout=out)
    assert "1 import job(s) expired" in out.getvalue()
    assert import_jobs_expire() == 0
    checked.refresh_from_db()
    ended.refresh_from_db()
    assert checked.status == ImportJob.Status.EXPIRED and checked.data is None
    assert ended.status == ImportJob.Status.DONE and ended.data is None


def test_an_ended_job_keeps_no_file(client, staff):
    job = start(client, staff.users["editor_a"], [row("pit-one", category="nowhere")])
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.data is None


def test_the_dry_run_does_not_name_another_organisations_draft(client, staff):
    make_record(
        "potential",
        staff.partner_b,
        slug="secret-pit",
        title_en="Secret plan of B",
        summary_en="B's unpublished idea.",
    )
    job = start(client, staff.users["editor_a"], [row("secret-pit")])
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    page = client.get(job_url(job))
    (invalid,) = job.summary["invalid_rows"]
    assert "another organisation" in str(invalid["errors"])
    for text in (page.text, job.result_html, str(job.summary)):
        assert "Secret plan" not in text
        assert "unpublished idea" not in text
    # A published record is public: it may be named.
    make_record(
        "potential",
        staff.partner_b,
        slug="public-pit",
        title_en="Open pit",
        status="published",
    )
    job = start(client, staff.users["editor_a"], [row("public-pit")])
    run_worker()
    job.refresh_from_db()
    assert "Open pit" in str(job.summary)


def test_only_the_user_who_started_an_import_follows_it(client, staff):
    job = start(client, staff.users["editor_a"], [row("pit-one")])
    client.force_login(staff.users["editor_b"])
    for view in ("import_job", "import_job_progress"):
        assert client.get(job_url(job, view)).status_code == 404
    assert client.post(job_url(job, "import_job_confirm")).status_code == 404


def test_the_import_page_lists_the_users_imports(client, staff):
    job = start(client, staff.users["editor_a"], [row("pit-one")])
    page = client.get(IMPORT_URL)
    assert job_url(job) in page.text and "potentials.csv" in page.text
    client.force_login(staff.users["editor_b"])
    assert job_url(job) not in client.get(IMPORT_URL).text


def test_the_librarys_own_confirmation_is_closed(client, staff):
    client.force_login(staff.users["editor_a"])
    answer = client.post(
        reverse("admin:potentials_potential_process_import"),
        {
            "import_file_name": "../../etc/passwd",
            "original_file_name": "x.csv",
            "format": "0",
        },
    )
    assert answer.status_code == 404


def test_an_unchanged_row_is_skipped_and_leaves_no_revision(client, staff):
    editor = staff.users["editor_a"]
    for _ in range(2):
        job = start(client, editor, [row("pit-one")])
        run_worker()
        client.post(job_url(job, "import_job_confirm"))
        run_worker()
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE
    assert (job.summary["skip"], job.summary["update"]) == (1, 0)
    assert versions_of(Potential.objects.get(slug="pit-one")).count() == 1


def test_health_names_a_worker_that_does_not_run(client):
    """A task left waiting past its time: no worker runs, and /health/ says so;
    once a worker has run it, the jobs are fine again."""
    assert client.get("/health/").json()["checks"]["jobs"]["status"] == "ok"
    result = import_job_expire.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    body = client.get("/health/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["jobs"] == {"status": "no worker", "overdue_tasks": 1}
    run_worker()
    assert client.get("/health/").json()["checks"]["jobs"]["status"] == "ok"
