"""The portal's addresses plus a trivial view: the framework's floor."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b'{"ok":true}', content_type="application/json")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("resource_portal.urls")),
]
