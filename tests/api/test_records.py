"""What the API says about each kind of record, in which language, filtered how."""

import pytest

from potentials.models import Potential
from tests.api.conftest import body

pytestmark = pytest.mark.django_db

ERZBERG = "/api/v1/potentials/erzberg-adventure-mine/"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("regions", "lower-lusatia"),
        ("partners", "district-of-zwickau"),
        ("projects", "resource"),
        ("publications", "mireu-slo-guidelines"),
        ("themes", "natural-potentials"),
        ("categories", "biomass"),
        ("legacy-types", "dumps-and-heaps"),
        ("potentials", "erzberg-adventure-mine"),
        (
            "good-practices",
            "systematic-thematic-development-of-mining-metallurgy-and-raw-materials",
        ),
    ],
)
def test_every_kind_of_record_has_a_list_and_a_detail_by_slug(api, seeded, name, slug):
    listing = api.get(f"/api/v1/{name}/?page_size=100")
    assert slug in slugs(listing)
    row = next(r for r in listing.json()["results"] if r["slug"] == slug)
    assert row["url"] == f"http://testserver/api/v1/{name}/{slug}/"
    detail = api.get(row["url"])
    assert detail.status_code == 200
    assert detail.json()["slug"] == slug
    assert "en" in detail.json()["translations"]


def test_related_records_are_nested_summaries_with_their_own_addresses(api, seeded):
    potential = api.get(ERZBERG).json()
    assert potential["region"] == {
        "slug": "styrian-iron-route",
        "url": "http://testserver/api/v1/regions/styrian-iron-route/",
        "name": "Styrian Iron Route",
        "country": "AT",
    }
    assert potential["theme"]["url"].endswith("/api/v1/themes/cultural-potentials/")
    for related in (potential["category"], *potential["legacy_types"]):
        assert api.get(related["url"]).status_code == 200
    region = api.get(potential["region"]["url"]).json()
    assert "erzberg-adventure-mine" in slugs(api.get(region["potentials_url"]))


def test_a_project_shows_its_members_by_role_and_counts_computed_from_them(api, seeded):
    project = api.get("/api/v1/projects/resource/").json()
    roles = [member["role"] for member in project["memberships"]]
    assert roles == ["lead"] + ["partner"] * 6 + ["scientific"] * 3
    assert project["memberships"][0]["partner"]["slug"] == "district-of-zwickau"
    assert project["headline_counts"] == {
        "partners": 10,
        "regions": 7,
        "countries": 5,
        "by_role": {"lead": 1, "partner": 6, "scientific": 3, "advisory": 0},
    }
    assert (project["partner_count"], project["country_count"]) == (10, 5)
    assert len(project["objectives"]) == 4
    assert {figure["kind"] for figure in project["stated_figures"]} == {
        "countries",
        "regions",
    }
    listed = next(
        p
        for p in api.get("/api/v1/projects/").json()["results"]
        if p["slug"] == "resource"
    )
    assert listed["partner_count"] == 10


# --- Languages -----------------------------------------------------------------


def test_lang_chooses_the_language_of_translated_fields(api, seeded):
    potential = api.get("/api/v1/potentials/lusatian-lake-district/?lang=pl")
    assert potential["Content-Language"] == "pl"
    data = potential.json()
    assert data["title"] == "Łużycka Kraina Jezior"
    assert data["translations"] == ["en", "de", "pl", "cs", "hu", "sl", "fi"]


def test_accept_language_chooses_too_and_lang_wins(api, seeded):
    url = "/api/v1/potentials/lusatian-lake-district/"
    german = api.get(url, headers={"accept-language": "de-AT,de;q=0.9"}).json()
    assert german["title"] == "Lausitzer Seenland"
    polish = api.get(f"{url}?lang=pl", headers={"accept-language": "de"}).json()
    assert polish["title"] == "Łużycka Kraina Jezior"


def test_untranslated_fields_fall_back_to_english(api, seeded):
    potential = Potential.objects.get(slug="f60-conveyor-bridge-lichterfeld")
    assert potential.description_en and not potential.description_fi
    url = f"/api/v1/potentials/{potential.slug}/"
    data = api.get(f"{url}?lang=fi").json()
    english = api.get(url).json()
    assert data["description"] == english["description"]
    assert data["title"] == potential.title_fi != english["title"]
    assert data["theme"]["name"] != english["theme"]["name"]  # Themes are in Finnish.


def test_an_unknown_language_is_a_400_naming_lang(api, seeded):
    response = api.get("/api/v1/potentials/?lang=xx")
    assert response.status_code == 400
    assert list(response.json()) == ["lang"]
    # An Accept-Language the portal cannot serve simply gives English.
    assert api.get(ERZBERG, headers={"accept-language": "ja"})["Content-Language"] == (
        "en"
    )


def test_ordering_by_a_translated_field_follows_the_language_shown(api, seeded):
    english = slugs(api.get("/api/v1/legacy-types/?ordering=name"))
    assert english == sorted(
        english,
        key=lambda slug: api.get(f"/api/v1/legacy-types/{slug}/").json()["name"],
    )
    names = [
        row["name"]
        for row in api.get("/api/v1/legacy-types/?ordering=-name&lang=de").json()[
            "results"
        ]
    ]
    assert names == sorted(names, reverse=True)


# --- Filters, search, ordering, pages --------------------------------------------


def test_the_shared_filters_apply(api, seeded):
    query = (
        "/api/v1/potentials/?country=at&country=de&theme=cultural-potentials"
        "&page_size=100"
    )
    found = set(slugs(api.get(query)))
    assert found == set(
        Potential.objects.published()
        .filter(
            region__country__in=["AT", "DE"],
            category__theme__slug="cultural-potentials",
        )
        .values_list("slug", flat=True)
    )
    assert {
        "f60-conveyor-bridge-lichterfeld",
        "erzberg-adventure-mine",
        "styrian-iron-route-heritage-route",
    } <= found
    assert slugs(api.get("/api/v1/potentials/?bbox=14,47,16,48")) == [
        "erzberg-adventure-mine",
        "erzbergrodeo",
    ]
    assert slugs(api.get("/api/v1/projects/?partner=ioer")) == ["resource"]
    assert "lapland" in slugs(api.get("/api/v1/regions/?country=FI"))


def test_a_record_matching_several_chosen_values_is_listed_once(api, seeded):
    query = (
        "/api/v1/potentials/?legacy_type=know-how-and-traditions"
        "&legacy_type=buildings-and-machinery&page_size=100"
    )
    data = api.get(query).json()
    found = slugs_of(data)
    both = [
        slug
        for slug in found
        if {"know-how-and-traditions", "buildings-and-machinery"}
        <= {kind["slug"] for kind in rows_by_slug(data)[slug]["legacy_types"]}
    ]
    assert len(both) >= 2  # the seed has records with both
    assert len(found) == len(set(found)) == data["count"]
    # Each value alone finds those records too: it is an "any of", not "all".
    alone = slugs(
        api.get("/api/v1/potentials/?legacy_type=know-how-and-traditions&page_size=100")
    )
    assert set(both) <= set(alone)


def slugs_of(data: dict) -> list[str]:
    return [row["slug"] for row in data["results"]]


def rows_by_slug(data: dict) -> dict[str, dict]:
    return {row["slug"]: row for row in data["results"]}


def test_search_ranks_best_first_and_shows_why(api, seeded):
    results = api.get("/api/v1/potentials/?search=lusatian lake").json()["results"]
    assert results[0]["slug"] == "lusatian-lake-district"
    assert results[0]["search_headline"]
    ranks = [row["search_rank"] for row in results]
    assert ranks == sorted(ranks, reverse=True)
    unsearched = api.get("/api/v1/potentials/").json()["results"][0]
    assert unsearched["search_rank"] is None


def test_ordering_given_wins_over_search_rank(api, seeded):
    found = slugs(api.get("/api/v1/potentials/?search=mining&ordering=-slug"))
    assert len(found) > 1
    assert found == sorted(found, reverse=True)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("potentials/?theme=no-such-theme", "theme"),
        ("potentials/?country=XX", "country"),
        ("potentials/?stage=finished", "stage"),
        ("potentials/?bbox=10,50,5,60", "bbox"),
        ("good-practices/?start_year_min=abc", "start_year_min"),
        ("regions/?mining_ended_max=99999", "mining_ended_max"),
        ("potentials/?ordering=owner__email", "ordering"),
        ("potentials/?page=0", "page"),
        ("potentials/?page=99", "page"),
        ("potentials/?page=last", "page"),
        ("potentials/?page_size=0", "page_size"),
        ("potentials/?page_size=many", "page_size"),
        ("potentials/?format=xml", "format"),
        ("potentials/?format=csv&theme=nope", "theme"),
        ("themes/?lang=klingon", "lang"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, seeded, query, parameter):
    response = api.get(f"/api/v1/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]


# --- Formats ---------------------------------------------------------------------


def test_geojson_gives_feature_collections_and_features(api, seeded):
    for request in (
        lambda url: api.get(url, {"format": "geojson", "page_size": 100}),
        lambda url: api.get(
            url, {"page_size": 100}, headers={"accept": "application/geo+json"}
        ),
    ):
        response = request("/api/v1/potentials/")
        assert response["Content-Type"] == "application/geo+json"
        collection = response.json()
        assert collection["type"] == "FeatureCollection"
        erzberg = next(
            f for f in collection["features"] if f["id"] == "erzberg-adventure-mine"
        )
        assert erzberg["geometry"]["type"] == "Point"
        longitude, latitude = erzberg["geometry"]["coordinates"]
        assert 14 < longitude < 16 and 47 < latitude < 48
        assert erzberg["properties"]["title"].startswith("Erzberg")
        assert "latitude" not in erzberg["properties"]
    unlocated = api.get("/api/v1/potentials/biomass-on-mining-dumps/?format=geojson")
    assert unlocated.json()["type"] == "Feature"
    assert unlocated.json()["geometry"] is None
    regions = api.get("/api/v1/regions/?format=geojson&page_size=100").json()
    assert regions["count"] == len(regions["features"]) > 20


def test_records_without_a_place_have_no_geojson(api, seeded):
    response = api.get("/api/v1/themes/?format=geojson")
    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_csv_is_in_the_chosen_language(api, seeded):
    text = body(api.get("/api/v1/potentials/?format=csv&lang=pl&search=lake")).decode()
    assert "Łużycka Kraina Jezior" in text


def test_csv_cells_cannot_run_as_spreadsheet_formulas(api, seeded):
    from potentials.models import Potential

    Potential.objects.filter(slug="erzberg-adventure-mine").update(
        title="=HYPERLINK(1)"
    )
    text = body(api.get("/api/v1/potentials/?format=csv&region=styrian-iron-route"))
    assert "'=HYPERLINK(1)" in text.decode()
