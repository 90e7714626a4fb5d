"""Login protection: lock-out after repeated failures, strong passwords."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def fail(client, username, address="192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": "wrong-password"},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_lock_out_that_user_name_from_that_address(client):
    UserFactory(username="editor", is_staff=True)
    UserFactory(username="colleague", is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client, "editor").status_code == 200
    assert fail(client, "editor").status_code == 429
    # Now even the right password is refused from here…
    response = client.post(
        LOGIN,
        {"username": "editor", "password": "a-long-test-password"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 429
    # …while a colleague behind the same address still logs in,
    response = client.post(
        LOGIN,
        {"username": "colleague", "password": "a-long-test-password"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    # and the same user name from elsewhere is not locked out.
    assert fail(client, "editor", address="198.51.100.7").status_code == 200


def test_admin_user_creation_refuses_a_weak_password(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newbie", "password1": "short1", "password2": "short1"},
    )
    assert response.status_code == 200
    assert "too short" in response.text


def test_admin_password_change_refuses_a_common_password(client):
    user = UserFactory(username="editor", is_staff=True)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "password1234", "password2": "password1234"},
    )
    assert response.status_code == 200
    assert "too common" in response.text
