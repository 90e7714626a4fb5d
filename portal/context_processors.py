from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import get_language_info

from core.languages import active_language, language_codes, path_in_language
from core.outlines import OUTLINES_BBOX


def portal(request: HttpRequest) -> dict:
    """The map tile server and outlines' box, the current page in every language,
    and the picture link previews show for a page without its own."""
    query = request.META.get("QUERY_STRING", "")
    alternates = []
    for code in language_codes():
        path = path_in_language(request.path_info, code)
        url = f"{path}?{query}" if query else path
        alternates.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == active_language(),
            }
        )
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        # West, south, east, north: the maps' view stays inside the outlines.
        "MAP_OUTLINES_BBOX": ",".join(str(edge) for edge in OUTLINES_BBOX),
        "language_alternates": alternates,
        "DEFAULT_OG_IMAGE": request.build_absolute_uri(static("img/og-default.png")),
    }
