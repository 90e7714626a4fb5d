from django.core.management.base import BaseCommand

from editorial.imports import import_jobs_expire


class Command(BaseCommand):
    help = (
        "Expire checked imports never confirmed within IMPORT_JOB_CONFIRM_HOURS and "
        "remove the uploaded files of every import job that has ended. The worker "
        "does this for each import by itself; this catches any it missed."
    )

    def handle(self, *args, **options) -> None:
        expired = import_jobs_expire()
        self.stdout.write(f"{expired} import job(s) expired.")
