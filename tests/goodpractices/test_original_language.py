"""A record written in any of the portal's languages is reviewed, published and
read in it: texts fall back to English, then to the record's original language."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from core.languages import localised, reading_order
from editorial.models import Status, Transition
from editorial.services import publishable_transition
from goodpractices.models import GoodPractice
from goodpractices.services import good_practice_propose
from potentials.models import Potential
from tests.api.conftest import token_headers
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PartnerFactory,
    PotentialFactory,
    RegionFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

TITLE_DE = "Badesee im ehemaligen Tagebau"
SUMMARY_DE = "Ein geflutetes Tagebaurestloch ist heute ein Badesee."


@pytest.fixture
def network_office(settings):
    settings.PROPOSALS_PARTNER = "network-office"
    return PartnerFactory(slug="network-office", name="Network office")


@pytest.fixture
def moderator(network_office):
    return staff_user(network_office, role=Role.MODERATOR)


def german_proposal() -> GoodPractice:
    return good_practice_propose(
        title=TITLE_DE,
        summary=SUMMARY_DE,
        description="",
        kind="pilot_project",
        language="de",
        proposer_name="Eva Muster",
        proposer_email="eva@example.de",
        proposer_organisation="",
        site_url="http://testserver/",
    )


def german_only(**fields) -> GoodPractice:
    return GoodPracticeFactory(
        title=None,
        summary=None,
        title_de=TITLE_DE,
        summary_de=SUMMARY_DE,
        original_language="de",
        **fields,
    )


def test_the_reading_order_is_the_readers_then_english_then_the_original():
    assert reading_order("pl", "de") == ["pl", "en", "de"]
    assert reading_order("de", "de") == ["de", "en"]
    assert reading_order("en", None) == ["en"]


def test_a_german_proposal_shows_its_title_in_the_admin_and_a_moderator_publishes_it(
    client, moderator
):
    practice = german_proposal()
    with translation.override("en"):
        assert str(practice) == TITLE_DE  # not "-" nor empty
    client.force_login(moderator)
    response = client.get(reverse("admin:goodpractices_goodpractice_changelist"))
    assert response.status_code == 200
    assert TITLE_DE in response.text

    with translation.override("en"):
        publishable_transition(
            record=practice, by=moderator, transition=Transition.PUBLISH
        )
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED
    assert practice.title_en is None


def test_the_admin_saves_a_german_only_record_without_english(client, moderator):
    practice = german_proposal()
    client.force_login(moderator)
    url = reverse("admin:goodpractices_goodpractice_change", args=[practice.pk])
    form = client.get(url).context["adminform"].form
    assert not form.fields["title_en"].required
    assert not form.fields["summary_en"].required


def test_the_required_texts_are_required_in_the_original_language_not_in_english():
    practice = german_only(status=Status.DRAFT)
    practice.full_clean()  # no English needed

    practice.summary_de = ""
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert set(error.value.message_dict) == {"summary_de"}
    assert "Required in German" in error.value.message_dict["summary_de"][0]

    # An English text stands in for an original the portal does not have (yet).
    practice.summary_en = "A flooded pit, now a lake for swimming."
    practice.full_clean()


def test_a_potential_names_its_original_language_and_needs_no_english():
    potential = PotentialFactory(
        title=None, summary=None, title_pl="Ciepło z kopalni", summary_pl="Ciepło."
    )
    potential.original_language = "pl"
    potential.full_clean()
    with translation.override("de"):
        assert potential.title == "Ciepło z kopalni"
    potential.original_language = "en"
    with pytest.raises(ValidationError) as error:
        potential.full_clean()
    assert set(error.value.message_dict) == {"title_en", "summary_en"}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_published_german_only_practice_reads_in_german_marked_as_such(
    client, language
):
    practice = german_only()
    with translation.override(language):
        detail = client.get(practice.get_absolute_url())
        listing = client.get(reverse("goodpractices:goodpractice-list"))
    assert detail.status_code == 200
    assert f'<span lang="de">{TITLE_DE}</span>' in detail.text
    assert "<h1" in detail.text and TITLE_DE in detail.text.split("<h1", 1)[1]
    assert f'lang="de">{TITLE_DE}' in listing.text


def test_the_api_gives_the_german_text_to_readers_of_other_languages(client):
    region = RegionFactory(slug="lakeland")
    german_only(slug="badesee", region=region)
    potential = PotentialFactory(
        title=None,
        summary=None,
        title_de="Grubenwasser",
        summary_de="Wärme.",
        region=region,
    )
    Potential.objects.filter(pk=potential.pk).update(original_language="de")
    for language in ("pl", "en"):
        detail = client.get(f"/api/v1/good-practices/badesee/?lang={language}")
        assert detail.json()["title"] == TITLE_DE
        for path, title in (
            ("good-practices", TITLE_DE),
            ("potentials", "Grubenwasser"),
        ):
            rows = client.get(
                f"/api/v1/{path}/?region=lakeland&lang={language}"
            ).json()["results"]
            assert [row["title"] for row in rows] == [title]
            assert rows[0]["original_language"] == "de"


def test_lists_sort_by_the_text_shown_in_the_original_language(
    django_assert_num_queries,
):
    shown = {german_only().pk, GoodPracticeFactory(title="Another case").pk}
    with django_assert_num_queries(1):
        titles = list(
            GoodPractice.objects.filter(pk__in=shown)
            .annotate(shown=localised("title", "pl"))
            .order_by("shown")
            .values_list("shown", flat=True)
        )
    assert titles == ["Another case", TITLE_DE]


def test_the_api_takes_a_german_only_record_without_english():
    office = PartnerFactory(slug="partner-x")
    editor = Client(headers=token_headers(staff_user(office)))
    category = CategoryFactory()
    response = editor.post(
        "/api/v1/potentials/",
        {
            "title": {"de": "Grubenwasserwärme"},
            "summary": {"de": "Wärme aus einer gefluteten Grube."},
            "original_language": "de",
            "category": category.slug,
            "legacy_types": [LegacyTypeFactory().slug],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "grubenwasserwarme"
    schema = editor.get("/api/v1/schema/").content.decode()
    assert "The English text is required" not in schema
