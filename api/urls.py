"""Everything under /api/: version 1, its schema and docs, and JSON 404s."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

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
router.register("potentials", views.PotentialViewSet, basename="potential")
router.register("good-practices", views.GoodPracticeViewSet, basename="goodpractice")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "v1/docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema"),
        name="docs",
    ),
    # Unknown addresses under /api/ answer in JSON, not with the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
