"""Drafts, records in review and archived records never reach anonymous clients;
partner staff see their own organisation's."""

import pytest

from editorial.models import Status
from potentials.models import Potential
from tests.api.conftest import body, seeded_potential, seeded_practice, token_headers
from tests.factories import RegionFactory
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db

HIDDEN = (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
URL = "/api/v1/potentials/"


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "query",
    [
        "potentials/",
        "potentials/?format=geojson",
        "potentials/?format=csv",
        "potentials/?search=secret",
        "potentials/?search=secret&format=csv",
        "potentials/?bbox=13,51,15,52&format=geojson",
        "good-practices/",
        "good-practices/?format=geojson",
        "good-practices/?format=csv",
        "good-practices/?search=secret",
    ],
)
def test_unpublished_records_are_in_no_list_in_any_format(api, hidden, query):
    separator = "&" if "?" in query else "?"
    response = api.get(f"/api/v1/{query}{separator}page_size=100")
    assert response.status_code == 200
    assert b"secret" not in body(response).lower()


@pytest.mark.parametrize("status", HIDDEN)
@pytest.mark.parametrize("format", ["json", "geojson"])
def test_unpublished_records_have_no_detail(api, hidden, status, format):
    potential, practice = hidden[status]
    for path in (
        f"/api/v1/potentials/{potential.slug}/",
        f"/api/v1/good-practices/{practice.slug}/",
    ):
        response = api.get(f"{path}?format={format}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_unpublished_records_do_not_show_through_published_ones(api, hidden):
    potential = api.get(f"/api/v1/potentials/{seeded_potential().slug}/").json()
    assert all("secret" not in p["slug"] for p in potential["good_practices"])
    practice = api.get(f"/api/v1/good-practices/{seeded_practice().slug}/").json()
    assert [p["slug"] for p in practice["potentials"]] == [seeded_potential().slug]


def test_published_records_do_appear(api, hidden):
    """The hidden records are real: publishing one makes it public."""
    potential, _practice = hidden[Status.DRAFT]
    potential.status = Status.PUBLISHED
    potential.save()
    response = api.get(f"/api/v1/potentials/{potential.slug}/")
    assert response.status_code == 200


def test_staff_see_their_organisations_drafts_and_the_shared_cache_never_does(
    client, django_assert_num_queries
):
    """Through the same endpoints, in every format; answers that hold unpublished
    records are neither served from nor stored in the shared anonymous cache."""
    staff = make_staff()
    region = RegionFactory()
    for owner, status, title in (
        (staff.partner_a, Status.PUBLISHED, "Public"),
        (staff.partner_a, Status.DRAFT, "Draft of A"),
        (staff.partner_b, Status.IN_REVIEW, "Of B"),
    ):
        make_record("potential", owner, status=status, title_en=title, region=region)
    draft = Potential.objects.get(title_en="Draft of A")
    listing = f"{URL}?region={region.slug}"
    anonymous = client.get(listing)
    assert titles(anonymous) == ["Public"]

    editor_a = token_headers(staff.users["editor_a"])
    response = client.get(listing, headers=editor_a)
    assert sorted(titles(response)) == ["Draft of A", "Public"]
    assert "private" in response["Cache-Control"]
    detail = client.get(f"{URL}{draft.slug}/", headers=editor_a)
    assert (detail.json()["status"], detail.json()["status_label"]) == (
        "draft",
        "Draft",
    )
    assert client.get(f"{URL}{draft.slug}/").status_code == 404
    assert sorted(
        titles(client.get(listing, headers=token_headers(staff.users["editor_b"])))
    ) == ["Of B", "Public"]
    assert (
        len(
            titles(client.get(listing, headers=token_headers(staff.users["moderator"])))
        )
        == 3
    )
    csv = b"".join(
        client.get(f"{listing}&format=csv", headers=editor_a).streaming_content
    )
    assert b"Draft of A" in csv

    # The anonymous answer comes from the shared cache, with no draft in it.
    # (one query: the content version)
    with django_assert_num_queries(1):
        again = client.get(listing)
    assert again.content == anonymous.content
    client.force_login(staff.users["editor_a"])
    assert "Draft of A" in titles(client.get(listing))
