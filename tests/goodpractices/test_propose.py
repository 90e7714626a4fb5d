"""The public form "Propose a good practice"."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role
from editorial.models import Status
from goodpractices.models import GoodPractice
from tests.factories import PartnerFactory, staff_user

pytestmark = pytest.mark.django_db

URL = reverse("goodpractices:propose")


@pytest.fixture(autouse=True)
def receiving_partner(settings):
    cache.clear()  # the rate limit counts in the cache
    settings.PROPOSALS_PARTNER = "network-office"
    settings.PROPOSALS_RATE_LIMIT = 2
    partner = PartnerFactory(slug="network-office", name="Network office")
    staff_user(partner, role=Role.MODERATOR, user__email="moderator@example.org")
    return partner


def proposed():
    """The good practices proposed from outside the network."""
    return GoodPractice.objects.exclude(proposer_email="")


def proposal(**changes):
    data = {
        "title": "Wyciąg narciarski na hałdzie",
        "summary": "Stok narciarski na dawnej hałdzie kopalni.",
        "description": "",
        "kind": "pilot_project",
        "language": "pl",
        "proposer_name": "Anna Nowak",
        "proposer_email": "anna@example.pl",
        "proposer_organisation": "Gmina Przykładowa",
        "website": "",
    }
    data.update(changes)
    return data


def test_the_form_has_a_label_for_every_field(client):
    response = client.get(URL)
    assert response.status_code == 200
    for name in ("title", "summary", "kind", "language", "proposer_email"):
        assert f'<label for="id_{name}"' in response.text
    assert "Propose a good practice" in response.text


def test_a_proposal_is_kept_in_review_and_moderators_are_told(
    client, receiving_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, proposal())
    assert response.status_code == 302
    assert response["Location"] == reverse("goodpractices:propose-thanks")

    practice = proposed().get()
    assert practice.status == Status.IN_REVIEW
    assert practice.title_pl == "Wyciąg narciarski na hałdzie"
    assert practice.title_en is None  # nothing copied into other languages
    assert practice.original_language == "pl"
    assert practice.owner == practice.main_institution == receiving_partner
    assert practice.proposer_organisation == "Gmina Przykładowa"
    assert practice.slug == "wyciag-narciarski-na-haldzie"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["moderator@example.org"]
    assert "Wyciąg narciarski" in message.subject
    assert f"/admin/goodpractices/goodpractice/{practice.pk}/change/" in message.body


def test_errors_are_shown_next_to_their_fields(client):
    response = client.post(URL, proposal(proposer_email="not an address", title=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "proposer_email"}
    assert 'aria-invalid="true"' in response.text
    assert not proposed().exists()


def test_the_honeypot_keeps_nothing_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, proposal(website="http://spam.example"))
    assert response.status_code == 302  # a robot learns nothing
    assert not proposed().exists()
    assert mail.outbox == []


def test_the_rate_limit_stops_a_third_proposal_from_one_address(client):
    for number in range(2):
        response = client.post(URL, proposal(title=f"Practice {number}"))
        assert response.status_code == 302
    response = client.post(URL, proposal(title="One too many"))
    assert response.status_code == 429
    assert "several proposals in a short time" in response.text
    assert response.context["form"]["title"].value() == "One too many"
    assert proposed().count() == 2


def test_the_rate_limit_also_counts_per_e_mail_address(client):
    for number, address in enumerate(("10.0.0.1", "10.0.0.2", "10.0.0.3")):
        response = client.post(
            URL, proposal(title=f"Practice {number}"), REMOTE_ADDR=address
        )
    assert response.status_code == 429
    assert proposed().count() == 2


def test_without_a_receiving_organisation_the_form_says_so(client, settings):
    settings.PROPOSALS_PARTNER = "nobody"
    response = client.post(URL, proposal())
    assert response.status_code == 503
    assert "cannot be received" in response.text
