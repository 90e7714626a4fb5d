"""The admin, as partner staff and moderators use it, on the real seed content."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from potentials.models import Potential, Theme
from regions.models import Project, Region
from tests.factories import UserFactory
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"regions", "potentials", "goodpractices", "core"}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_url(model, view, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )


def test_every_changelist_add_and_change_page_answers_200(seeded, superuser_client):
    checked = []
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="root")
    for model, model_admin in admin.site._registry.items():
        urls = [admin_url(model, "changelist")]
        # Logs such as django-axes' login attempts offer no add page, by design.
        if model_admin.has_add_permission(request):
            urls.append(admin_url(model, "add"))
        for url in urls:
            response = superuser_client.get(url)
            assert response.status_code == 200, url
        instance = model._default_manager.first()
        if instance is None:
            assert model._meta.app_label not in PORTAL_APPS, (
                f"no seeded {model.__name__}"
            )
            continue
        url = admin_url(model, "change", instance.pk)
        assert superuser_client.get(url).status_code == 200, url
        checked.append(model.__name__)
    assert {
        "Region",
        "Partner",
        "Project",
        "Publication",
        "Potential",
        "GoodPractice",
        "Theme",
        "Category",
        "LegacyType",
        "Commodity",
    } <= set(checked)


@pytest.mark.parametrize(
    ("model_url", "query"),
    [
        ("admin:potentials_potential_changelist", "region__country__exact=AT"),
        (
            "admin:potentials_potential_changelist",
            "category__theme__id__exact={theme}&status__exact=published",
        ),
        ("admin:potentials_potential_changelist", "q=geothermal"),
        ("admin:regions_region_changelist", "country__exact=FI"),
        ("admin:regions_partner_changelist", "q=Zwickau"),
        ("admin:regions_project_changelist", "o=7"),
        ("admin:goodpractices_goodpractice_changelist", "region__country__exact=FI"),
    ],
)
def test_changelist_filters_search_and_sorting_work(
    seeded, superuser_client, model_url, query
):
    query = query.format(theme=Theme.objects.get(slug="natural-potentials").pk)
    response = superuser_client.get(f"{reverse(model_url)}?{query}")
    # The admin answers a filter it does not understand with a redirect to ?e=1.
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_country_filter_narrows_the_potentials(seeded, superuser_client):
    response = superuser_client.get(
        reverse("admin:potentials_potential_changelist") + "?region__country__exact=AT"
    )
    shown = {potential.slug for potential in response.context["cl"].result_list}
    assert shown == set(
        Potential.objects.filter(region__country="AT").values_list("slug", flat=True)
    )
    assert "erzberg-adventure-mine" in shown


def test_project_page_shows_counts_computed_from_memberships(seeded, superuser_client):
    project = Project.objects.get(acronym="ReSource")
    response = superuser_client.get(admin_url(Project, "change", project.pk))
    content = response.content.decode()
    assert "Partners: 10" in content
    assert "Scientific partner: 3" in content
    assert "Countries: 5" in content


def test_translated_fields_have_a_tab_per_language(seeded, superuser_client):
    region = Region.objects.get(slug="lapland")
    content = superuser_client.get(
        admin_url(Region, "change", region.pk)
    ).content.decode()
    for language in ("en", "de", "pl", "cs", "hu", "sl", "fi"):
        assert f'name="name_{language}"' in content
    assert "tabbed_translation_fields.js" in content
    assert "jquery-ui/jquery-ui.min.js" in content
    assert "googleapis" not in content


def test_autocomplete_finds_regions_for_a_potential(seeded, superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "potentials",
            "model_name": "potential",
            "field_name": "region",
            "term": "Lusat",
        },
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [
        "Lower Lusatia"
    ]


def test_superuser_adds_a_region_in_two_languages(db, superuser_client):
    data = {
        "name_en": "Upper Silesia",
        "name_pl": "Górny Śląsk",
        "slug": "upper-silesia",
        "kind": "region",
        "country": "PL",
        "nuts_code": "PL22",
        "core-link-content_type-object_id-TOTAL_FORMS": "0",
        "core-link-content_type-object_id-INITIAL_FORMS": "0",
        "legacies-TOTAL_FORMS": "0",
        "legacies-INITIAL_FORMS": "0",
        "policy_instruments-TOTAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "policy_instruments-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(admin_url(Region, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    region = Region.objects.get(slug="upper-silesia")
    assert (region.name_en, region.name_pl, region.name_de) == (
        "Upper Silesia",
        "Górny Śląsk",
        None,
    )


def test_bad_nuts_code_in_the_admin_is_explained_and_not_saved(db, superuser_client):
    data = {
        "name_en": "Nowhere",
        "slug": "nowhere",
        "kind": "region",
        "country": "PL",
        "nuts_code": "pl22",
        "core-link-content_type-object_id-TOTAL_FORMS": "0",
        "core-link-content_type-object_id-INITIAL_FORMS": "0",
        "legacies-TOTAL_FORMS": "0",
        "legacies-INITIAL_FORMS": "0",
        "policy_instruments-TOTAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "policy_instruments-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(admin_url(Region, "add"), data)
    assert response.status_code == 200
    assert "two capital letters" in response.content.decode()
    assert not Region.objects.filter(slug="nowhere").exists()


def test_saving_a_potential_stamps_who_changed_it_and_keeps_the_rest(
    seeded, superuser_client
):
    potential = Potential.objects.get(slug="lusatian-lake-district")
    url = admin_url(Potential, "change", potential.pk)
    data = admin_form_data(superuser_client.get(url))
    data["summary_pl"] = "Łańcuch jezior w zalanych odkrywkach węgla brunatnego."

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    potential.refresh_from_db()
    assert potential.summary_pl.startswith("Łańcuch jezior")
    assert potential.summary_en.startswith("A chain of lakes")
    assert potential.updated_by.username == "root"
    assert potential.legacy_types.get().slug == "open-pits-and-lakes"
    assert potential.actor_roles.get().partner.slug == "iba-fuerst-pueckler-land"
    assert potential.links.count() == 1
