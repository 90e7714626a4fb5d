from django.db.models import Count, Q
from django.views.generic import TemplateView

from editorial.models import Status
from goodpractices.models import GoodPractice
from portal.statistics import portal_figures
from potentials.models import Potential, Theme
from regions.models import Partner, Project, Region
from search.browse import map_points

NEWEST_COUNT = 4


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        potentials = Potential.objects.published().select_related("region", "category")
        good_practices = GoodPractice.objects.published().select_related(
            "region", "main_institution"
        )
        newest = ("-published_at", "-pk")
        return super().get_context_data(
            potential_count=potentials.count(),
            good_practice_count=good_practices.count(),
            region_count=Region.objects.count(),
            partner_count=Partner.objects.count(),
            project_count=Project.objects.count(),
            country_count=Region.objects.values("country").distinct().count(),
            themes=Theme.objects.prefetch_related("categories").annotate(
                potential_count=Count(
                    "categories__potentials",
                    filter=Q(categories__potentials__status=Status.PUBLISHED),
                )
            ),
            newest_potentials=potentials.order_by(*newest)[:NEWEST_COUNT],
            newest_good_practices=good_practices.order_by(*newest)[:NEWEST_COUNT],
            map_points=map_points(Region.objects.filter(latitude__isnull=False), "name")
            + map_points(potentials.filter(latitude__isnull=False))
            + map_points(good_practices.filter(latitude__isnull=False)),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "about.html"


class StatisticsView(TemplateView):
    template_name = "portal/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=portal_figures(), **kwargs)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"
