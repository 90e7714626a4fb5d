"""Lists ordered by translated names follow the reader's alphabet."""

import pytest
from django.db import connection
from django.utils import translation

from core import collation
from core.collation import collation_for, in_reader_order, text_sort_key
from regions.models import Region
from tests.factories import PotentialFactory, RegionFactory

pytestmark = pytest.mark.django_db

NAMES = ["Uprawa", "Łużycka", "Lubin", "Ölsnitz", "Zwickau", "Äänekoski", "oulu"]


@pytest.fixture
def regions():
    for name in NAMES:
        RegionFactory(name=name, name_pl=name, name_de=name, name_fi=name)


def names_in(language: str) -> list[str]:
    with translation.override(language):
        ordered = Region.objects.filter(name__in=NAMES)
        return list(
            ordered.order_by(in_reader_order("name"), "slug").values_list(
                "name", flat=True
            )
        )


def test_polish_reader_sees_l_with_stroke_before_u(regions):
    if collation_for("pl", connection) != "pl-x-icu":
        pytest.skip("this PostgreSQL has no ICU (the system server has)")
    assert names_in("pl") == [
        "Äänekoski", "Lubin", "Łużycka", "Ölsnitz", "oulu", "Uprawa", "Zwickau",
    ]  # fmt: skip


def test_german_and_finnish_readers_each_have_their_umlauts(regions):
    if collation_for("fi", connection) != "fi-x-icu":
        pytest.skip("this PostgreSQL has no ICU (the system server has)")
    german = names_in("de")
    assert german.index("Ölsnitz") < german.index("oulu") < german.index("Uprawa")
    assert german[0] == "Äänekoski"
    # In Finnish, Ä and Ö are letters of their own after Z.
    assert names_in("fi")[-2:] == ["Äänekoski", "Ölsnitz"]


@pytest.mark.parametrize(
    "server",
    [
        pytest.param({"extension:unaccent"}, id="no collation, unaccent"),
        pytest.param({"pl_PL.utf8", "extension:unaccent"}, id="libc locale"),
    ],
)
def test_a_server_without_icu_still_sorts_accents_among_their_letters(
    regions, monkeypatch, server
):
    """The embedded PostgreSQL has no ICU: a libc locale if it has one, else a key
    that ignores accents and case, never "C"'s order (Ł after Z, lower case last)."""
    if server & {"pl_PL.utf8"} and not _has(connection, "pl_PL.utf8"):
        pytest.skip("this server has no pl_PL locale")
    monkeypatch.setattr(collation, "_server_collations", lambda _c: frozenset(server))
    ordered = names_in("pl")
    assert ordered.index("Lubin") < ordered.index("Łużycka") < ordered.index("Uprawa")
    assert ordered.index("Ölsnitz") < ordered.index("oulu") < ordered.index("Uprawa")


def _has(conn, name: str) -> bool:
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [name])
        return cursor.fetchone() is not None


def test_collations_are_looked_up_once(regions, django_assert_num_queries):
    names_in("pl")
    with django_assert_num_queries(2):
        names_in("pl")
        names_in("de")


def test_potential_list_sorts_titles_in_polish(client):
    if collation_for("pl", connection) != "pl-x-icu":
        pytest.skip("this PostgreSQL has no ICU (the system server has)")
    region = RegionFactory()
    for title in ("Uprawa wierzby", "Łużycka Kraina Jezior", "Zwałowisko"):
        PotentialFactory(title=title, title_pl=title, region=region)
    response = client.get(f"/pl/potentials/?sort=title&region={region.slug}")
    titles = [p.title_pl for p in response.context["object_list"]]
    assert titles == ["Łużycka Kraina Jezior", "Uprawa wierzby", "Zwałowisko"]


def test_region_filter_lists_regions_in_the_reader_order(client):
    if collation_for("pl", connection) != "pl-x-icu":
        pytest.skip("this PostgreSQL has no ICU (the system server has)")
    for name in ("Uckermark", "Łużyce", "Zagłębie"):
        region = RegionFactory(name=name, name_pl=name)
        PotentialFactory(region=region)
    # Every value of the facet, not only the ten with the most potentials.
    response = client.get("/pl/potentials/?facet=region")
    facet = next(f for f in response.context["facets"] if f.name == "region")
    labels = [option.label for option in facet.options]
    assert labels.index("Łużyce") < labels.index("Uckermark") < labels.index("Zagłębie")


def test_names_sorted_in_python_keep_accented_letters_among_their_own():
    names = ["Zimbabwe", "Łotwa", "Luksemburg", "Österreich", "Oman", "Ägypten"]
    assert sorted(names, key=text_sort_key) == [
        "Ägypten", "Łotwa", "Luksemburg", "Oman", "Österreich", "Zimbabwe",
    ]  # fmt: skip
