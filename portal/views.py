from django.contrib.staticfiles import finders
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe
from django.views.generic import DetailView, TemplateView

from core.generation import kept
from core.images import first_images
from core.languages import fallback_language, reading_only
from core.outlines import europe_outlines, europe_outlines_etag
from editorial.models import Status
from goodpractices.models import GoodPractice, GoodPracticeImage
from portal.models import SitePage
from portal.statistics import portal_figures
from portal.text import markdown_html
from potentials.models import (
    Potential,
    PotentialImage,
    Theme,
    themes_with_categories,
)
from regions.models import Partner, Project, Region
from search.maps import markers_url

NEWEST_COUNT = 4


def home_figures(potentials, good_practices) -> dict:
    """The home page's counts: aggregates over every record, kept per content
    version (core.generation.kept), so the page costs the same at any size."""
    return {
        "counts": {
            "potential_count": potentials.count(),
            "good_practice_count": good_practices.count(),
            "region_count": Region.objects.count(),
            "partner_count": Partner.objects.count(),
            "project_count": Project.objects.count(),
            "country_count": Region.objects.values("country").distinct().count(),
        },
        "themes": dict(
            Theme.objects.annotate(
                potential_count=Count(
                    "categories__potentials",
                    filter=Q(categories__potentials__status=Status.PUBLISHED),
                )
            ).values_list("pk", "potential_count")
        ),
    }


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        potentials = Potential.objects.published().select_related("region", "category")
        good_practices = GoodPractice.objects.published().select_related(
            "region", "main_institution"
        )
        newest = ("-published_at", "-pk")
        figures = kept("home-figures", lambda: home_figures(potentials, good_practices))
        themes = themes_with_categories()
        for theme in themes:
            theme.potential_count = figures["themes"].get(theme.pk, 0)
        return super().get_context_data(
            **figures["counts"],
            themes=themes,
            newest_potentials=reading_only(potentials, Potential.card_fields())
            .order_by(*newest)
            .prefetch_related(first_images(PotentialImage))[:NEWEST_COUNT],
            newest_good_practices=reading_only(
                good_practices, GoodPractice.card_fields()
            )
            .order_by(*newest)
            .prefetch_related(first_images(GoodPracticeImage), "categories")[
                :NEWEST_COUNT
            ],
            markers_url=markers_url(
                ["potential", "goodpractice", "region"], [], get_language()
            ),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "about.html"


class StatisticsView(TemplateView):
    template_name = "portal/statistics.html"

    def get_context_data(self, **kwargs):
        # Aggregates over every record, in the reader's language: kept per
        # content version (core.generation.kept).
        sections = kept(f"statistics:{get_language()}", portal_figures)
        return super().get_context_data(sections=sections, **kwargs)


class SitePageView(DetailView):
    """The imprint, the privacy notice…: one view, the kind given by the URL."""

    template_name = "portal/site_page.html"
    kind: str = ""

    def get_object(self, queryset=None):
        return get_object_or_404(SitePage, kind=self.kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title_lang=fallback_language(self.object, "title"),
            body_html=markdown_html(self.object.body),
            body_lang=fallback_language(self.object, "body"),
            **kwargs,
        )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


# A week: the outlines change only with the package that ships them, and the ETag
# lets a browser or proxy check cheaply after that.
OUTLINES_MAX_AGE = 7 * 24 * 60 * 60


@require_safe
@gzip_page
@cache_control(public=True, max_age=OUTLINES_MAX_AGE)
@condition(etag_func=lambda request: europe_outlines_etag())
def map_outlines(request):
    """Europe's country outlines, drawn by every map under its markers (portal.js)."""
    return HttpResponse(europe_outlines(), content_type="application/geo+json")


class FaviconView(View):
    """/favicon.ico, where browsers and crawlers look for it without asking."""

    def get(self, request, *args, **kwargs):
        path = finders.find("img/favicon.ico")
        if path is None:
            raise Http404
        response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115 - the response closes it
        patch_cache_control(response, public=True, max_age=60 * 60 * 24)
        return response
