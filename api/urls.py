"""Everything under /api/: version 1, its schema and docs, and JSON 404s."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from api import views
from api.exceptions import not_found

app_name = "api"

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("legacy-types", views.LegacyTypeViewSet, basename="legacytype")
router.register(
    "development-goals", views.DevelopmentGoalViewSet, basename="developmentgoal"
)
router.register("potentials", views.PotentialViewSet, basename="potential")
router.register("good-practices", views.GoodPracticeViewSet, basename="goodpractice")
router.register(
    "policy-instruments", views.PolicyInstrumentViewSet, basename="policyinstrument"
)


class ApiRootView(APIView):
    """Where each kind of record is, and the schema and docs that describe them."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                **{
                    prefix: url(f"api:{basename}-list")
                    for prefix, _viewset, basename in router.registry
                },
                "schema": url("api:schema"),
                "docs": url("api:docs"),
            }
        )


urlpatterns = [
    path("v1/", ApiRootView.as_view(), name="root"),
    # "Regions like mine", ahead of the router's regions/<slug>/, which would
    # take "match" for a slug.
    path(
        "v1/regions/match/",
        views.RegionSimilarityViewSet.as_view({"get": "match"}),
        name="region-match",
    ),
    path(
        "v1/regions/<slug:slug>/similar/",
        views.RegionSimilarityViewSet.as_view({"get": "similar"}, detail=True),
        name="region-similar",
    ),
    path("v1/", include(router.urls)),
    path(
        "v1/regions/<slug:slug>/network/",
        views.RegionNetworkViewSet.as_view({"get": "retrieve"}, detail=True),
        name="region-network",
    ),
    path(
        "v1/projects/<slug:slug>/network/",
        views.ProjectNetworkViewSet.as_view({"get": "retrieve"}, detail=True),
        name="project-network",
    ),
    path(
        "v1/map-markers/",
        views.MapMarkerViewSet.as_view({"get": "list"}),
        name="map-markers",
    ),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path(
        "v1/docs/",
        # Its script from a URL of its own, not inline (Content-Security-Policy);
        # Swagger UI styles itself inline and draws its icons from data: URLs.
        csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"]})(
            views.DocsView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # Unknown addresses under /api/ answer in JSON, not with the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
