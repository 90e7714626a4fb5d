"""`manage.py check --deploy` tells a deployment that has no database of its own."""

from tests.helpers import run_portal


def deploy_check(**environment) -> str:
    result = run_portal(
        ["manage.py", "check", "--deploy"],
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portal.example.org",
        **environment,
    )
    return result.stdout + result.stderr


def test_a_deployment_on_the_embedded_server_is_warned():
    assert "core.W001" in deploy_check()


def test_a_deployment_with_a_database_url_is_not():
    output = deploy_check(DATABASE_URL="postgres://portal@db.internal:5432/portal")
    assert "core.W001" not in output
    assert "System check identified" in output
