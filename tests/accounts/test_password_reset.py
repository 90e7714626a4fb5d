"""A forgotten password, from the admin's login page to a new password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
RESET = reverse("admin_password_reset")
DONE = reverse("password_reset_done")


@pytest.fixture
def editor():
    return UserFactory(username="editor", email="editor@example.org", is_staff=True)


def link_in(message) -> str:
    return re.search(r"https?://testserver(/admin/reset/\S+/)", message.body)[1]


def test_the_login_page_offers_a_reset(client):
    response = client.get(LOGIN)
    assert f'href="{RESET}"' in response.text
    assert "Forgotten your login credentials?" in response.text


def test_a_known_and_an_unknown_address_get_the_same_answer(client, editor):
    known = client.post(RESET, {"email": "EDITOR@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    assert known.text == unknown.text
    assert "ReSource Portal administration" in known.text
    assert 'id="nav-sidebar"' not in known.text
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


def test_the_whole_reset_sets_a_new_password_that_logs_in(client, editor):
    client.post(RESET, {"email": "editor@example.org"})
    [message] = mail.outbox
    assert "editor" in message.body  # the user name, for who forgot it
    response = client.get(link_in(message), follow=True)
    set_password = response.redirect_chain[-1][0]
    assert set_password.endswith("/set-password/")
    assert 'name="new_password1"' in response.text

    # The validators apply: a short, common password is refused.
    weak = client.post(
        set_password, {"new_password1": "password", "new_password2": "password"}
    )
    assert weak.status_code == 200
    assert "too short" in weak.text or "too common" in weak.text

    new = "Grubenwasser-heizt-2026"
    done = client.post(
        set_password, {"new_password1": new, "new_password2": new}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    editor.refresh_from_db()
    assert editor.check_password(new)

    # The link works once only.
    again = client.get(link_in(message), follow=True)
    assert 'name="new_password1"' not in again.text

    response = client.post(LOGIN, {"username": "editor", "password": new})
    assert response.status_code == 302


def test_a_tampered_link_sets_nothing(client, editor):
    client.post(RESET, {"email": "editor@example.org"})
    link = link_in(mail.outbox[0])
    forged = re.sub(r"/[^/]+/$", "/abc-0123456789abcdef/", link)
    response = client.get(forged, follow=True)
    assert 'name="new_password1"' not in response.text


def test_asking_again_soon_sends_no_second_mail_and_says_the_same(client, editor):
    first = client.post(RESET, {"email": "editor@example.org"}, follow=True)
    second = client.post(RESET, {"email": "editor@example.org"}, follow=True)
    assert first.text == second.text
    assert len(mail.outbox) == 1


def test_the_pages_and_the_mail_speak_the_users_language(client, editor):
    response = client.get(RESET, headers={"accept-language": "de"})
    assert "Passwort" in response.text
    client.post(
        RESET, {"email": "editor@example.org"}, headers={"accept-language": "de"}
    )
    assert "Passwort" in mail.outbox[0].subject + mail.outbox[0].body
