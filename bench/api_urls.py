"""The portal's addresses plus a trivial view: the framework's floor."""

from django.http import HttpResponse
from django.urls import path

from resource_portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return HttpResponse(b'{"ok":true}', content_type="application/json")


# The portal's own list, not include(): its pages are under i18n_patterns, which
# Django allows only in the root URLconf.
urlpatterns = [path("bench/floor/", floor), *portal_urlpatterns]
