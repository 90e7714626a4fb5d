"""List rows built from `values()` (api/rows.py) are the serializers' own rows.

Every list is asked twice, once through the compiled plan and once with the plan
switched off, so that DRF serializes model instances; the answers must be equal,
in every language, format, search and ordering.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from rest_framework.test import APIRequestFactory

from api import rows, serializers, views
from core.languages import language_codes
from tests.api.conftest import body, token_headers
from tests.api.test_bounds import LISTS
from tests.factories import GoodPracticeFactory, PotentialFactory
from tests.workflow import make_staff

GEOJSON = ["regions", "potentials", "good-practices"]


def answers(api, monkeypatch, url: str, **headers) -> tuple[bytes, bytes]:
    cache.clear()
    calls = []
    planned = rows.plan_for

    def spy(*args, **kwargs):
        plan = planned(*args, **kwargs)
        calls.append(plan)
        return plan

    with monkeypatch.context() as patch:
        patch.setattr(rows, "plan_for", spy)
        fast = api.get(url, **headers)
        # A CSV is streamed: it is built as it is read.
        fast_body = body(fast)
    cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(rows, "plan_for", lambda *args, **kwargs: None)
        slow = api.get(url, **headers)
        slow_body = body(slow)
    assert fast.status_code == slow.status_code == 200, fast_body[:500]
    publications = "/publications/" in url
    # Publications have a file field, which the plan leaves to DRF.
    assert calls and all((plan is None) == publications for plan in calls), url
    return fast_body, slow_body


@pytest.fixture
def varied(seeded):
    """Records the seed lacks: no region, no English-only fallback, search hits."""
    region_less = PotentialFactory(
        title="Pit lake without a region",
        title_de="Tagebausee ohne Region",
        summary="Only the English summary",
        region=None,
        latitude=None,
        longitude=None,
        area_ha=None,
    )
    region_less.legacy_types.clear()
    GoodPracticeFactory(title="Headframe without a region", region=None)
    return seeded


@pytest.mark.parametrize("language", language_codes())
def test_every_list_in_every_language(api, monkeypatch, varied, language):
    for name in LISTS:
        fast, slow = answers(
            api, monkeypatch, f"/api/v1/{name}/?page_size=100&lang={language}"
        )
        assert fast == slow, (name, language)


@pytest.mark.parametrize(
    "query",
    [
        "potentials/?search=mine+water",
        "potentials/?search=Tagebausee&lang=de",
        "potentials/?search=geotermal&lang=hu",
        "good-practices/?search=headframe",
        "regions/?search=lusatia",
        "partners/?search=university",
        "projects/?search=resource",
        "potentials/?ordering=-area_ha&page_size=7&page=2",
        "good-practices/?ordering=-start_date",
        "potentials/?format=geojson&page_size=1000&lang=pl",
        "good-practices/?format=geojson&page_size=1000",
        "regions/?format=geojson&lang=fi",
        "potentials/?format=csv&lang=de",
        "good-practices/?format=csv",
        "regions/?format=csv",
        "partners/?format=csv&lang=sl",
    ],
)
def test_searches_orderings_and_formats(api, monkeypatch, varied, query):
    fast, slow = answers(api, monkeypatch, f"/api/v1/{query}")
    assert fast == slow


def test_accept_language_and_an_empty_page(api, monkeypatch, varied):
    fast, slow = answers(
        api, monkeypatch, "/api/v1/potentials/", headers={"accept-language": "cs"}
    )
    assert fast == slow
    fast, slow = answers(api, monkeypatch, "/api/v1/potentials/?search=zzzyqx")
    assert fast == slow
    assert b'"results":[]' in fast


def test_a_moderator_sees_the_drafts_through_the_plan(api, monkeypatch, hidden):
    """Visibility is the queryset's: the plan only reads its columns."""
    moderator = make_staff().users["moderator"]
    fast, slow = answers(
        api,
        monkeypatch,
        "/api/v1/potentials/?page_size=100&search=secret",
        headers=token_headers(moderator),
    )
    assert fast == slow
    assert b"Secret potential draft" in fast


def test_many_records_with_all_their_relations(api, monkeypatch, many):
    for name in LISTS:
        fast, slow = answers(api, monkeypatch, f"/api/v1/{name}/?page_size=100")
        assert fast == slow, name


def test_the_plan_covers_every_list_but_publications(db):
    for view_class in (
        views.RegionViewSet,
        views.PartnerViewSet,
        views.ProjectViewSet,
        views.ThemeViewSet,
        views.CategoryViewSet,
        views.LegacyTypeViewSet,
        views.DevelopmentGoalViewSet,
        views.PotentialViewSet,
        views.GoodPracticeViewSet,
    ):
        queryset = _list_view(view_class).get_queryset()
        plan = rows.plan_for(view_class.serializer_class, queryset)
        assert plan is not None, view_class
    publications = _list_view(views.PublicationViewSet).get_queryset()
    assert rows.plan_for(serializers.PublicationSerializer, publications) is None
    # The search's annotations are columns of the plan where the queryset has them.
    searched = _list_view(views.PotentialViewSet).get_queryset().search("mine")
    plan = rows.plan_for(serializers.PotentialSerializer, searched)
    assert {"search_rank", "search_headline"} <= plan.columns


def _list_view(view_class):
    view = view_class()
    view.action = "list"
    view.request = APIRequestFactory().get("/")
    view.request.user = AnonymousUser()
    return view
