"""`manage.py check --deploy` tells a deployment that has no database of its own."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def deploy_check(**environment) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "resource_portal.settings",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "portal.example.org",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout + result.stderr


def test_a_deployment_on_the_embedded_server_is_warned():
    assert "core.W001" in deploy_check()


def test_a_deployment_with_a_database_url_is_not():
    output = deploy_check(DATABASE_URL="postgres://portal@db.internal:5432/portal")
    assert "core.W001" not in output
    assert "System check identified" in output
