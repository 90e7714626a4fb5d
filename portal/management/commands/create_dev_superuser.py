from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"  # noqa: S105 - development only, refused with DEBUG off


class Command(BaseCommand):
    help = (
        "Create the development superuser admin/admin if it does not exist. "
        "Refuses to run with DEBUG off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "create_dev_superuser only runs with DEBUG on; on a real server use "
                "'manage.py createsuperuser'."
            )
        user_model = get_user_model()
        if user_model.objects.filter(username=USERNAME).exists():
            self.stdout.write(f"Development superuser '{USERNAME}' already exists.")
            return
        user_model.objects.create_superuser(USERNAME, "admin@localhost", PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created development superuser '{USERNAME}' (password '{PASSWORD}')."
            )
        )
