from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.health import health
from portal.sitemaps import SITEMAPS
from portal.views import FaviconView, RobotsView, map_outlines

# Not language-prefixed: the admin (its language follows the browser), the API and
# what machines look for at fixed addresses.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/", include("api.urls")),
    path("health/", health, name="health"),
    # The same for every language: country names are not shown, only shapes.
    path("maps/outlines.geojson", map_outlines, name="map-outlines"),
]

# The public pages, each under its language: /en/…, /de/…
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("", include("potentials.urls")),
    path("", include("goodpractices.urls")),
    path("", include("regions.urls")),
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
