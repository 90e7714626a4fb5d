"""Every translated text knows where it comes from, and readers are told when a
translation has not been reviewed."""

import shutil

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from core.provenance import Provenance, provenance, provenance_map
from goodpractices.models import GoodPractice
from portal.seed import SeedError, seed_content_load
from tests.factories import GoodPracticeFactory, PotentialFactory

pytestmark = pytest.mark.django_db

LAPLAND = "systematic-thematic-development-of-mining-metallurgy-and-raw-materials"


def test_a_text_is_original_in_the_records_language_and_unreviewed_elsewhere():
    potential = PotentialFactory(title_en="Pit heat", title_de="Grubenwärme")
    assert provenance(potential, "title", "en") == Provenance.ORIGINAL
    assert provenance(potential, "title", "de") == Provenance.UNREVIEWED
    assert provenance(potential, "title", "pl") is None  # no text, no provenance
    practice = GoodPracticeFactory(
        original_language="pl", title_en="A case", title_pl="Przypadek"
    )
    assert provenance(practice, "title", "pl") == Provenance.ORIGINAL
    assert provenance(practice, "title", "en") == Provenance.UNREVIEWED


def test_what_is_recorded_wins_over_the_rule():
    potential = PotentialFactory(
        title_en="Pit heat",
        title_de="Grubenwärme",
        translation_provenance={"title": {"de": "reviewed"}},
    )
    assert provenance_map(potential)["title"] == {
        "en": Provenance.ORIGINAL,
        "de": Provenance.REVIEWED,
    }


@pytest.mark.parametrize(
    "value",
    [
        ["title"],
        {"title": "reviewed"},
        {"title": {"xx": "reviewed"}},
        {"title": {"de": "checked"}},
        {"stage": {"de": "reviewed"}},
    ],
)
def test_a_malformed_provenance_is_refused(value):
    potential = PotentialFactory.build(translation_provenance=value)
    with pytest.raises(ValidationError) as error:
        potential.full_clean(exclude=["owner", "category", "slug"])
    assert "translation_provenance" in error.value.message_dict


def test_a_page_marks_an_unreviewed_translation_and_links_the_original(client):
    potential = PotentialFactory(
        title_en="Pit heat",
        title_de="Grubenwärme",
        summary_en="Warm water.",
        summary_de="Warmes Wasser.",
    )
    html = client.get(f"/de/potentials/{potential.slug}/").content.decode()
    assert '<span lang="de" class="unreviewed-translation">Grubenwärme</span>' in html
    assert 'class="translation-notice"' in html
    assert f'href="/en/potentials/{potential.slug}/" hreflang="en"' in html
    # In English, the original, nothing is marked.
    english = client.get(f"/en/potentials/{potential.slug}/").content.decode()
    assert "translation-notice" not in english
    assert "unreviewed-translation" not in english


def test_a_reviewed_translation_is_not_marked(client):
    potential = PotentialFactory(
        title_en="Pit heat",
        title_de="Grubenwärme",
        summary_en="Warm water.",
        summary_de="Warmes Wasser.",
        translation_provenance={
            "title": {"de": "reviewed"},
            "summary": {"de": "reviewed"},
        },
    )
    html = client.get(f"/de/potentials/{potential.slug}/").content.decode()
    assert "translation-notice" not in html
    assert "<h1>Grubenwärme</h1>" in html


def test_the_lapland_practice_keeps_its_polish_source_and_marks_the_english(
    seeded, client
):
    practice = GoodPractice.objects.get(slug=LAPLAND)
    assert practice.original_language == "pl"
    assert provenance(practice, "description", "pl") == Provenance.ORIGINAL
    assert provenance(practice, "description", "en") == Provenance.UNREVIEWED
    assert practice.description_pl.startswith(
        "Kiedy region ze swoimi interesariuszami chce mieć wpływ"
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    assert f'href="/pl/good-practices/{LAPLAND}/" hreflang="pl"' in html
    assert "translation-notice" not in client.get(f"/pl/good-practices/{LAPLAND}/")


def test_the_api_gives_the_provenance_per_field_and_language(client):
    potential = PotentialFactory(title_en="Pit heat", title_de="Grubenwärme")
    data = client.get(f"/api/v1/potentials/{potential.slug}/").json()
    assert data["translation_provenance"]["title"] == {
        "en": "original",
        "de": "unreviewed",
    }


@pytest.fixture
def seed_copy(tmp_path):
    """The seed files, in a folder a test may add translations to."""
    folder = tmp_path / "seed"
    shutil.copytree(settings.SEED_CONTENT_DIR, folder)
    shutil.rmtree(folder / "translations", ignore_errors=True)
    (folder / "translations").mkdir()
    return folder


def test_translation_files_fill_empty_texts_marked_unreviewed(seeded, seed_copy):
    potential = PotentialFactory(title_en="Pit heat", title_fi="")
    (seed_copy / "translations" / "fi.yaml").write_text(
        f"potentials:\n  {potential.slug}: {{title: Kaivoslämpö}}\n", encoding="utf-8"
    )
    seed_content_load(directory=seed_copy)
    potential.refresh_from_db()
    assert potential.title_fi == "Kaivoslämpö"
    assert provenance(potential, "title", "fi") == Provenance.UNREVIEWED
    # Loading again changes nothing.
    report = seed_content_load(directory=seed_copy)
    assert report.updated["potentials (fi)"] == 0
    # A translation somebody reviewed (and changed) is kept.
    potential.title_fi = "Kaivosveden lämpö"
    potential.translation_provenance["title"]["fi"] = Provenance.REVIEWED
    potential.save()
    seed_content_load(directory=seed_copy)
    potential.refresh_from_db()
    assert potential.title_fi == "Kaivosveden lämpö"


def test_a_translation_of_an_unknown_record_writes_nothing(seeded, seed_copy):
    (seed_copy / "translations" / "de.yaml").write_text(
        "potentials:\n  no-such-potential: {title: Nichts}\n", encoding="utf-8"
    )
    with pytest.raises(SeedError, match="no-such-potential"):
        seed_content_load(directory=seed_copy)
