from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views import defaults

from accounts import views as accounts_views
from api import exceptions as api_errors
from core.health import health
from portal import errors as page_errors
from portal.sitemaps import SITEMAPS, sitemap_index
from portal.views import FaviconView, RobotsView, map_outlines

# Not language-prefixed: the admin (its language follows the browser), the API and
# what machines look for at fixed addresses.
urlpatterns = [
    # Password reset from the admin's login page ("Forgotten your password?"),
    # before the admin's own addresses, which would catch these.
    path(
        "admin/password_reset/",
        accounts_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        accounts_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        accounts_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    # The index of the sitemaps, and each section's pages (portal/sitemaps.py).
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": "portal/sitemap.xml"},
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


# Errors no view answered itself: JSON under /api/, the site's pages elsewhere.
def _by_address(api_handler, page_handler):
    def handler(request, *args, **kwargs):
        if request.path_info.startswith("/api/"):
            return api_handler(request, *args, **kwargs)
        return page_handler(request, *args, **kwargs)

    return handler


handler400 = _by_address(api_errors.bad_request, defaults.bad_request)
handler403 = _by_address(api_errors.permission_denied, defaults.permission_denied)
handler404 = _by_address(api_errors.page_not_found, defaults.page_not_found)
handler500 = _by_address(api_errors.server_error, page_errors.server_error)
