"""The public form "Propose a good practice"."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role
from editorial.models import Status
from goodpractices.models import GoodPractice
from goodpractices.services import good_practice_propose
from tests.factories import PartnerFactory, RegionFactory, ThemeFactory, staff_user

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
        "summary": "Stok narciarski na dawnej hałdzie kopalni, czynny każdej zimy.",
        "description": "Gmina i kopalnia razem zbudowały wyciąg narciarski na "
        "hałdzie, która po zamknięciu kopalni stała pusta. Mieszkańcy jeżdżą tam "
        "zimą, a latem trasa służy rowerzystom.",
        "kind": "pilot_project",
        "language": "pl",
        "country": "PL",
        "region": "",
        "theme": "",
        "links": "",
        "proposer_name": "Anna Nowak",
        "proposer_email": "anna@example.pl",
        "proposer_organisation": "Gmina Przykładowa",
        "consent": "on",
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


def test_required_fields_are_marked_and_the_mark_is_explained(client):
    response = client.get(URL)
    html = response.text
    assert "Fields marked" in html and "are required" in html
    for name in ("title", "summary", "description", "kind", "country", "consent"):
        assert f'<label for="id_{name}" class="required"' in html
    for name in ("title", "summary", "description", "kind", "country"):
        field = html.split(f'id="id_{name}"')[0].rsplit("<", 1)[1]
        assert " required" in field, name
    assert 'aria-required="true"' in html  # the language, chosen already
    for name in ("region", "theme", "links", "proposer_organisation"):
        assert f'<label for="id_{name}">' in html  # optional: no mark
    assert 'id="error-summary"' not in html


def test_the_error_summary_lists_and_links_each_error(client):
    response = client.post(
        URL,
        proposal(title="Kurz", summary="", consent="", links="not a link"),
    )
    assert response.status_code == 200
    html = response.text
    assert response.context["form"].errors.keys() == {
        "title",
        "summary",
        "consent",
        "links",
    }
    summary = html.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "autofocus" in html.split('id="error-summary"', 1)[1].split(">", 1)[0]
    assert 'role="alert"' in summary
    for name in ("title", "summary", "consent", "links"):
        assert f'<a href="#id_{name}">' in summary
        # …and the error stands next to its field, which names it.
        assert f'id="id_{name}_error"' in html
        assert f'aria-describedby="id_{name}_error"' in html or (
            f'id_{name}_error" id="id_{name}"' in html
        )
    assert summary.count("<li>") == 4
    assert "<title>Error:" in html
    assert "js/proposal.js" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "Haldenbad"}, "title", "at least 10 characters (this has 9)"),
        ({"summary": "Zu kurz."}, "summary", "at least 50 characters"),
        ({"description": "Zu kurz."}, "description", "at least 150 characters"),
        ({"description": ""}, "description", "This field is required."),
        ({"consent": ""}, "consent", "Please agree"),
        ({"links": "ftp://example.org/x"}, "links", "is not a web address"),
        ({"links": "javascript:alert(1)"}, "links", "is not a web address"),
        ({"links": "https://"}, "links", "is not a web address"),
        (
            {"links": "\n".join(f"https://example.org/{n}" for n in range(6))},
            "links",
            "at most 5 addresses",
        ),
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"region": "999999"}, "region", "Select a valid choice"),
        ({"title": "\x00" * 12}, "title", "Null characters are not allowed"),
        ({"title": "\n\r\t " * 5}, "title", "This field is required."),
    ],
)
def test_the_form_refuses(client, changes, field, message):
    response = client.post(URL, proposal(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not proposed().exists()


def test_a_line_break_in_the_title_is_cleaned_and_moderators_are_told(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, proposal(title="Wyciąg narciarski\r\nna hałdzie\x0b", language="pl")
        )
    assert response.status_code == 302
    assert proposed().get().title_pl == "Wyciąg narciarski na hałdzie"
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject


def test_a_control_character_in_a_title_never_fails_the_mail(
    receiving_partner, django_capture_on_commit_callbacks
):
    """Were a title with a line break saved another way, the mail to the
    moderators still goes out (a mail header is one line)."""
    with django_capture_on_commit_callbacks(execute=True):
        good_practice_propose(
            title="Zwei\nZeilen im Titel",
            summary="Eine Zusammenfassung.",
            description="",
            kind="pilot_project",
            language="de",
            proposer_name="Eva",
            proposer_email="eva@example.de",
            proposer_organisation="",
            site_url="http://testserver/",
        )
    assert mail.outbox[0].subject.endswith("Zwei Zeilen im Titel")


def test_country_region_theme_and_links_are_kept(client):
    region = RegionFactory(country="PL", name="Wałbrzych")
    theme = ThemeFactory(name="Cultural potentials")
    response = client.post(
        URL,
        proposal(
            country="PL",
            region=str(region.pk),
            theme=str(theme.pk),
            links="https://example.pl/wyciag\n\nhttps://example.pl/wyciag\n"
            "http://gmina.example.pl/",
        ),
    )
    assert response.status_code == 302
    practice = proposed().get()
    assert practice.country == "PL"
    assert practice.region == region
    assert list(practice.themes.all()) == [theme]
    links = list(practice.links.all())
    assert [link.url for link in links] == [
        "https://example.pl/wyciag",
        "http://gmina.example.pl/",
    ]
    assert links[0].title_pl == "example.pl"


def test_countries_of_europe_come_first_and_regions_are_offered(client):
    region = RegionFactory(country="SI", name="Zasavje")
    html = client.get(URL).text
    select = html.split('id="id_country"', 1)[1].split("</select>", 1)[0]
    europe, other = select.split('<optgroup label="Other countries">')
    assert 'value="PL"' in europe and 'value="SI"' in europe
    assert 'value="BR"' in other and 'value="PL"' not in other
    assert f'value="{region.pk}">Zasavje (Slovenia)</option>' in html


def test_a_proposal_in_german_only_is_kept_in_german(client):
    response = client.post(
        URL,
        proposal(
            title="Badesee im ehemaligen Tagebau",
            summary="Ein Tagebaurestloch wurde geflutet und ist heute ein Badesee.",
            description="Der Bergbausanierer und die Gemeinde haben das Ufer "
            "befestigt, einen Strand angelegt und einen Rundweg gebaut. Heute "
            "kommen im Sommer viele Gäste aus der ganzen Region.",
            language="de",
            country="DE",
        ),
    )
    assert response.status_code == 302
    practice = proposed().get()
    assert practice.title_de == "Badesee im ehemaligen Tagebau"
    assert practice.title_en is None
    assert practice.original_language == "de"
