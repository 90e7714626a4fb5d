"""Writes by partner staff: the request format, validation, tokens, transactions,
and what reads and the shared cache show afterwards."""

import pytest
from django.test import Client
from reversion.models import Version

from api.serializers import EditorialSerializer
from editorial.history import versions_of
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from tests.api.conftest import token_headers
from tests.api.test_workflow import JSON
from tests.factories import (
    CategoryFactory,
    LegacyTypeFactory,
    ProjectFactory,
    RegionFactory,
    ThemeFactory,
    staff_user,
)
from tests.workflow import make_record, make_record_with_history, make_staff

pytestmark = pytest.mark.django_db

POTENTIALS = "/api/v1/potentials/"
PRACTICES = "/api/v1/good-practices/"


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def editor(staff) -> Client:
    """A client of its own with the token of partner A's editor."""
    return Client(headers=token_headers(staff.users["editor_a"]))


@pytest.fixture
def taxonomy():
    category = CategoryFactory()
    return {
        "category": category,
        "theme": category.theme,
        "legacy_types": [LegacyTypeFactory(), LegacyTypeFactory()],
        "region": RegionFactory(),
        "project": ProjectFactory(),
    }


def new_potential(taxonomy, **fields) -> dict:
    return {
        "title": {"en": "Mine water heat", "de": "Grubenwasserwärme"},
        "summary": {"en": "Heat from a flooded pit.", "pl": "Ciepło z kopalni."},
        "category": taxonomy["category"].slug,
        "legacy_types": [taxonomy["legacy_types"][0].slug],
        **fields,
    }


def post(client, url, data, **kwargs):
    return client.post(url, data, content_type=JSON, **kwargs)


def patch(client, url, data, **kwargs):
    return client.patch(url, data, content_type=JSON, **kwargs)


# --- Creating and changing -----------------------------------------------------------


def test_editor_creates_a_draft_in_several_languages_with_relations_by_slug(
    staff, editor, taxonomy
):
    data = new_potential(
        taxonomy,
        region=taxonomy["region"].slug,
        projects=[taxonomy["project"].slug],
        stage="studied",
        latitude="51.69",
        longitude=14.13,
        capacity_mw="1.2",
    )
    response = post(editor, POTENTIALS, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "mine-water-heat"  # from the English title
    assert body["title"] == {"en": "Mine water heat", "de": "Grubenwasserwärme"}
    assert body["owner"] == "partner-a"  # the editor's one organisation
    assert (body["status"], body["transitions"]) == ("draft", ["submit"])
    assert body["url"] == "http://testserver/api/v1/potentials/mine-water-heat/"

    record = Potential.objects.get(slug="mine-water-heat")
    assert (record.title_de, record.summary_pl) == (
        "Grubenwasserwärme",
        "Ciepło z kopalni.",
    )
    assert record.title_fi is None
    assert record.region == taxonomy["region"]
    assert list(record.legacy_types.all()) == [taxonomy["legacy_types"][0]]
    assert list(record.projects.all()) == [taxonomy["project"]]
    assert (record.status, record.owner) == (Status.DRAFT, staff.partner_a)
    assert record.created_by == record.updated_by == staff.users["editor_a"]
    [version] = versions_of(record)
    assert version.revision.user == staff.users["editor_a"]
    assert set(version.field_dict["legacy_types"]) == {taxonomy["legacy_types"][0].pk}

    # The editor reads the draft back through the read endpoints, in German too.
    detail = editor.get(f"{body['url']}?lang=de").json()
    assert (detail["title"], detail["status"]) == ("Grubenwasserwärme", "draft")


def test_good_practice_links_only_potentials_the_editor_can_read(staff, editor):
    theme = ThemeFactory()
    public = make_record("potential", staff.partner_b, status=Status.PUBLISHED)
    draft = make_record("potential", staff.partner_b)
    data = {
        "title": {"en": "Mine water heat for a school"},
        "summary": {"en": "A pilot heat pump."},
        "kind": "pilot_project",
        "main_institution": "partner-a",
        "themes": [theme.slug],
        "potentials": [public.slug, draft.slug],
    }
    response = post(editor, PRACTICES, data)
    assert response.status_code == 400
    assert response.json() == {
        "potentials": [f"There is no potential with the slug “{draft.slug}”."]
    }
    data["potentials"] = [public.slug]
    response = post(editor, PRACTICES, data)
    assert response.status_code == 201, response.json()
    practice = GoodPractice.objects.get(slug=response.json()["slug"])
    assert list(practice.potentials.all()) == [public]
    assert list(practice.themes.all()) == [theme]
    assert practice.owner == staff.partner_a


def test_editor_cannot_create_for_another_organisation(staff, editor, taxonomy):
    response = post(editor, POTENTIALS, new_potential(taxonomy, owner="partner-b"))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You can only create records for your own organisation."
    }
    assert not Potential.objects.filter(slug="mine-water-heat").exists()


def test_moderator_creates_for_any_organisation_and_a_member_of_two_must_choose(
    staff, client, taxonomy
):
    moderator = token_headers(staff.users["moderator"])
    response = post(
        client,
        POTENTIALS,
        new_potential(taxonomy, owner="partner-b"),
        headers=moderator,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == "partner-b"

    twice = staff_user(staff.partner_a)
    staff_user(staff.partner_b, user=twice)
    response = post(
        client,
        POTENTIALS,
        new_potential(taxonomy, slug="other"),
        headers=token_headers(twice),
    )
    assert response.status_code == 400
    assert list(response.json()) == ["owner"]


def test_status_is_not_written_but_moved_by_the_actions(staff, editor, taxonomy):
    response = post(editor, POTENTIALS, new_potential(taxonomy, status="published"))
    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert not Potential.objects.filter(slug="mine-water-heat").exists()

    record = make_record("potential", staff.partner_a)
    url = f"{POTENTIALS}{record.slug}/"
    assert patch(editor, url, {"status": "published"}).status_code == 400
    # A record sent back unchanged, status included, is fine.
    assert patch(editor, url, {"status": "draft"}).status_code == 200
    assert Potential.objects.get(pk=record.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"title": {"en": "", "de": "Nur Deutsch"}},
            {
                "title": {
                    "en": [
                        "Required in English, the language this record was first "
                        "written in (its original language)."
                    ]
                }
            },
        ),
        (
            {"title": {"xx": "?"}, "summary": "Plain text"},
            {
                "title": {
                    "xx": [
                        "Unknown language “xx”; choose from: en, de, pl, cs, hu, "
                        "sl, fi."
                    ]
                },
                "summary": ['Give an object of texts by language code: {"en": "…"}.'],
            },
        ),
        (
            {"title": {"de": "x" * 301}},
            {"title": {"de": ["Ensure this field has no more than 300 characters."]}},
        ),
        (
            {"title": {"de": "nul\x00"}},
            {"title": {"de": ["Null characters are not allowed."]}},
        ),
        (
            {"region": "nowhere", "category": {"slug": "x"}, "legacy_types": []},
            {
                "region": ["There is no region with the slug “nowhere”."],
                "category": [
                    "Give the slug of a category: letters, digits and hyphens."
                ],
                "legacy_types": ["This list may not be empty."],
            },
        ),
        (
            {"slug": "no spaces"},
            {
                "slug": [
                    'Enter a valid "slug" consisting of letters, numbers, underscores '
                    "or hyphens."
                ]
            },
        ),
        (
            {"latitude": "51.5"},
            {"non_field_errors": ["Give both latitude and longitude, or neither."]},
        ),
        (
            {"latitude": 91, "longitude": 0},
            {"non_field_errors": ["Latitude must be between -90 and 90 degrees."]},
        ),
        (
            {"area_ha": "-3"},
            {"non_field_errors": ["The area must be greater than zero."]},
        ),
    ],
)
def test_invalid_content_answers_400_naming_the_fields(staff, editor, change, errors):
    record = make_record("potential", staff.partner_a, title_de="Vorher")
    response = patch(editor, f"{POTENTIALS}{record.slug}/", change)
    assert response.status_code == 400
    assert response.json() == errors
    assert Potential.objects.get(pk=record.pk).title_de == "Vorher"


def test_a_record_the_editor_may_not_change_is_refused_before_its_content_is_read(
    staff, editor
):
    record = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    response = patch(editor, f"{POTENTIALS}{record.slug}/", {"title": "not an object"})
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not change this record."}


def test_a_taken_slug_and_a_body_that_is_not_json_answer_400(staff, editor, taxonomy):
    taken = make_record("potential", staff.partner_a)
    response = post(editor, POTENTIALS, new_potential(taxonomy, slug=taken.slug))
    assert response.status_code == 400
    assert list(response.json()) == ["slug"]
    response = editor.post(POTENTIALS, "{not json", content_type=JSON)
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    response = editor.post(POTENTIALS, "a=b", content_type="text/plain")
    assert response.status_code == 415


def test_put_replaces_all_languages_and_patch_changes_only_those_given(
    staff, editor, taxonomy
):
    record = make_record(
        "potential",
        staff.partner_a,
        title_en="Headframe",
        title_de="Förderturm",
        title_pl="Wieża",
    )
    url = f"{POTENTIALS}{record.slug}/"
    response = patch(editor, url, {"title": {"de": "Fördergerüst", "pl": None}})
    assert response.json()["title"] == {"en": "Headframe", "de": "Fördergerüst"}

    full = new_potential(taxonomy, title={"en": "Shaft tower", "cs": "Těžní věž"})
    response = editor.put(url, full, content_type=JSON)
    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert (record.title_en, record.title_cs, record.title_de) == (
        "Shaft tower",
        "Těžní věž",
        None,
    )


# --- Transitions, delete, history --------------------------------------------------


def test_send_back_needs_a_comment_which_the_editor_sees_until_resubmitting(
    staff, client, editor
):
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    url = f"{POTENTIALS}{record.slug}/"
    moderator = token_headers(staff.users["moderator"])
    response = post(client, f"{url}send-back/", {"comment": " "}, headers=moderator)
    assert response.status_code == 400
    assert list(response.json()) == ["comment"]
    assert post(client, f"{url}send-back/", {}, headers=moderator).status_code == 400

    response = post(
        client, f"{url}send-back/", {"comment": "Add the capacity."}, headers=moderator
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["review_comment"]) == (
        "draft",
        "Add the capacity.",
    )
    response = editor.post(f"{url}submit/")
    assert (response.json()["status"], response.json()["review_comment"]) == (
        "in_review",
        "",
    )
    # The moderators' turn; the editor may only take it back to change it.
    assert response.json()["transitions"] == ["withdraw"]


def test_a_move_the_status_does_not_allow_answers_400(staff, editor):
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    response = editor.post(f"{POTENTIALS}{record.slug}/submit/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "“Submit for review” is not possible for a record with the status "
            "“In review”."
        ]
    }


def test_superuser_deletes_and_the_record_stays_recoverable(staff, client):
    record = make_record("goodpractice", staff.partner_a)
    response = client.delete(
        f"{PRACTICES}{record.slug}/", headers=token_headers(staff.users["superuser"])
    )
    assert response.status_code == 204
    assert not GoodPractice.objects.filter(pk=record.pk).exists()
    assert Version.objects.get_deleted(GoodPractice).count() == 1


def test_history_lists_versions_and_restores_both_languages(staff, client, editor):
    record = make_record(
        "potential", staff.partner_a, title_en="Pit lake", title_de="Tagebausee"
    )
    url = f"{POTENTIALS}{record.slug}/"
    patch(editor, url, {"title": {"en": "Pit lakes", "de": "Tagebauseen"}})
    page = editor.get(f"{url}versions/").json()
    # A page, as every list.
    assert page["count"] == 2
    assert page["next"] is None
    versions = page["results"]
    assert [version["comment"] for version in versions] == [
        "State before the first recorded change",
        "Changed.",
    ]
    assert versions[1]["user"] == "editor_a"

    response = post(editor, f"{url}restore/", {"version": versions[0]["id"]})
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == {"en": "Pit lake", "de": "Tagebausee"}

    other = make_record_with_history(
        "potential", staff.partner_b, staff.users["superuser"]
    )
    response = post(
        editor, f"{url}restore/", {"version": versions_of(other).first().pk}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert editor.get(f"{url}versions/?lang=xx").status_code == 400
    second = editor.get(f"{url}versions/?page_size=1&page=2").json()
    assert second["count"] == 3  # The restore is a version too.
    assert [version["id"] for version in second["results"]] == [versions[1]["id"]]
    assert second["previous"] and second["next"]

    # History is for the record's organisation and the moderators.
    published = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    editor_b = token_headers(staff.users["editor_b"])
    assert client.get(f"{url}versions/", headers=editor_b).status_code == 404
    response = client.get(f"{POTENTIALS}{published.slug}/versions/", headers=editor_b)
    assert response.status_code == 403
    assert client.get(f"{url}versions/").status_code == 401


# --- Tokens, CSRF, transactions ------------------------------------------------------


def test_a_token_gets_in_and_a_bad_one_answers_401_in_json(staff, taxonomy):
    client = Client(enforce_csrf_checks=True)
    response = post(
        client,
        POTENTIALS,
        new_potential(taxonomy),
        headers={"authorization": "Token 0123456789abcdef"},
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}
    assert (
        client.get(POTENTIALS, headers={"authorization": "Token nope"}).status_code
        == 401
    )

    # No CSRF token needed with a token, as for any client that is not a browser.
    headers = token_headers(staff.users["editor_a"])
    response = post(client, POTENTIALS, new_potential(taxonomy), headers=headers)
    assert response.status_code == 201


def test_a_browser_session_still_needs_its_csrf_token(staff, taxonomy):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.users["editor_a"])
    response = post(client, POTENTIALS, new_potential(taxonomy))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Potential.objects.filter(slug="mine-water-heat").exists()


def test_a_write_that_fails_halfway_leaves_nothing_behind(
    staff, editor, taxonomy, monkeypatch
):
    """The service has saved the record and its revision when the answer fails:
    the request's transaction takes both back."""

    def broken(self, record):
        raise RuntimeError("failed after the save")

    monkeypatch.setattr(EditorialSerializer, "get_transitions", broken)
    with pytest.raises(RuntimeError):
        post(editor, POTENTIALS, new_potential(taxonomy))
    assert not Potential.objects.filter(slug="mine-water-heat").exists()
    assert not Version.objects.get_for_model(Potential).exists()


# --- What reads and the shared cache show --------------------------------------------


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def test_a_record_published_through_the_api_is_listed_for_anonymous_clients_at_once(
    staff, client, django_capture_on_commit_callbacks
):
    record = make_record(
        "potential", staff.partner_a, status=Status.IN_REVIEW, title_en="Soon public"
    )
    before = client.get(POTENTIALS, {"page_size": 100})
    assert "Soon public" not in titles(before)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{POTENTIALS}{record.slug}/publish/",
            headers=token_headers(staff.users["moderator"]),
        )
    assert response.status_code == 200
    after = client.get(
        POTENTIALS, {"page_size": 100}, headers={"if-none-match": before["ETag"]}
    )
    assert after.status_code == 200
    assert "Soon public" in titles(after)
    assert client.get(f"{POTENTIALS}{record.slug}/").status_code == 200


def test_the_schema_states_the_original_language_rule_the_writes_apply(
    staff, editor, taxonomy
):
    """A required text is required in the original language, or in English,
    which stands in for it: as the schema says, and as a create answers."""
    schema = editor.get("/api/v1/schema/?format=json").json()
    fields = schema["components"]["schemas"]["PotentialWriteRequest"]["properties"]
    for name in ("title", "summary"):
        assert "or in English, which stands in" in fields[name]["description"]
    assert "or in English" in fields["original_language"]["description"]

    english_only = new_potential(
        taxonomy,
        original_language="de",
        title={"en": "Mine water heat"},
        summary={"en": "Heat from a flooded pit."},
    )
    assert post(editor, POTENTIALS, english_only).status_code == 201
    polish_only = new_potential(
        taxonomy,
        slug="polish-only",
        original_language="de",
        title={"pl": "Ciepło z kopalni"},
        summary={"pl": "Ciepło z kopalni."},
    )
    response = post(editor, POTENTIALS, polish_only)
    assert response.status_code == 400
    assert set(response.json()) == {"title", "summary"}
