from django.db.models import F, Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from core.collation import in_reader_order
from core.db import related_records
from core.images import first_images
from core.structured_data import (
    partner_json_ld,
    project_json_ld,
    publication_json_ld,
    region_json_ld,
)
from editorial.models import Status
from regions.filters import (
    PartnerFilter,
    PolicyInstrumentFilter,
    ProjectFilter,
    PublicationFilter,
    RegionFilter,
)
from regions.forms import RegionMatchForm
from regions.models import (
    Contact,
    Membership,
    Partner,
    PartnerImage,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionImage,
)
from regions.network import project_network, region_network
from regions.similarity import (
    MATCH_RESULTS,
    practices_to_learn_from,
    profile_prefetches,
    region_profile,
    similar_regions,
    weights_explained,
)
from search.browse import FacetedListView, SortOption
from search.maps import map_points, markers_url


def _by_name(field: str = "name") -> SortOption:
    return SortOption(
        _("Name (A–Z)"), lambda: [in_reader_order(field).asc(), "slug"], field
    )


def any_located(*records: list) -> bool:
    """Whether a map of these (read already for the page's lists) shows anything."""
    return any(record.has_location for group in records for record in group)


class RegionListView(FacetedListView):
    filterset_class = RegionFilter
    template_name = "regions/region_list.html"
    card_meta_template = "regions/includes/region_card_meta.html"
    title_field = "name"
    show_map = True
    card_pictures = True
    sort_options = {
        "name": _by_name(),
        "country": SortOption(
            _("Country"),
            lambda: ["country", in_reader_order("name").asc(), "slug"],
            "country,name",
        ),
    }

    def get_queryset(self):
        return Region.objects.all()

    def get_card_prefetches(self) -> list:
        return [first_images(RegionImage)]


class RegionDetailView(DetailView):
    template_name = "regions/region_detail.html"

    def get_queryset(self):
        return Region.objects.prefetch_related(
            Prefetch(
                "partners",
                queryset=Partner.objects.order_by(in_reader_order("name"), "slug"),
            ),
            "links",
            "images",
            *profile_prefetches(),
            Prefetch(
                "policy_instruments",
                queryset=PolicyInstrument.objects.order_by("-period_start", "slug"),
            ),
            Prefetch(
                "potentials",
                queryset=related_records(Region, "potentials")
                .published()
                .select_related("category")
                .order_by(in_reader_order("title"), "slug"),
                to_attr="public_potentials",
            ),
            Prefetch(
                "good_practices",
                queryset=related_records(Region, "good_practices")
                .published()
                .order_by(in_reader_order("title"), "slug"),
                to_attr="public_good_practices",
            ),
        )

    def get_context_data(self, **kwargs):
        region = self.object
        return super().get_context_data(
            projects=Project.objects.filter(memberships__partner__region=region)
            .distinct()
            .order_by("acronym"),
            # The region's own place; its records' come from the API.
            map_points=map_points([region], "name"),
            markers_url=markers_url(
                ["potential", "goodpractice"], [("region", region.slug)], get_language()
            )
            if any_located(region.public_potentials, region.public_good_practices)
            else None,
            json_ld=region_json_ld(region, self.request),
            network=region_network(region),
            similar_regions=similar_regions(region_profile(region)),
            **kwargs,
        )


class RegionMatchView(TemplateView):
    """“Regions like mine”: a region described in a GET form, its best matches and
    the good practices to learn from there. Every state is a shareable address."""

    template_name = "regions/region_match.html"

    def get_context_data(self, **kwargs):
        form = RegionMatchForm.from_query(self.request.GET)
        results = None
        if form.is_bound and form.is_valid():
            results = similar_regions(form.profile(), limit=MATCH_RESULTS)
        return super().get_context_data(
            form=form,
            results=results,
            practices=practices_to_learn_from(results or []),
            weights=weights_explained(),
            **kwargs,
        )


class PartnerListView(FacetedListView):
    filterset_class = PartnerFilter
    template_name = "regions/partner_list.html"
    card_meta_template = "regions/includes/partner_card_meta.html"
    title_field = "name"
    summary_field = None
    card_pictures = True
    sort_options = {
        "name": _by_name(),
        "country": SortOption(
            _("Country"),
            lambda: ["country", in_reader_order("name").asc(), "slug"],
            "country,name",
        ),
    }

    def get_queryset(self):
        return Partner.objects.select_related("region")

    def get_card_prefetches(self) -> list:
        return [first_images(PartnerImage)]


class PartnerDetailView(DetailView):
    template_name = "regions/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.select_related("region").prefetch_related(
            "links",
            "images",
            Prefetch("contacts", queryset=Contact.objects.select_related("project")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("project"),
            ),
            Prefetch(
                "potential_roles",
                queryset=related_records(Partner, "potential_roles")
                .filter(potential__status=Status.PUBLISHED)
                .select_related("potential")
                .order_by(in_reader_order("potential__title"), "potential__slug"),
                to_attr="public_potential_roles",
            ),
            Prefetch(
                "main_good_practices",
                queryset=related_records(Partner, "main_good_practices")
                .published()
                .order_by(in_reader_order("title"), "slug"),
                to_attr="public_good_practices",
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            json_ld=partner_json_ld(self.object, self.request), **kwargs
        )


class ProjectListView(FacetedListView):
    filterset_class = ProjectFilter
    template_name = "regions/project_list.html"
    card_meta_template = "regions/includes/project_card_meta.html"
    sort_options = {
        "acronym": SortOption(_("Acronym (A–Z)"), lambda: ["acronym"], "acronym"),
        "newest": SortOption(
            _("Newest first"), lambda: ["-start_date", "acronym"], "-start_date,acronym"
        ),
    }

    def get_queryset(self):
        return Project.objects.with_counts()


class ProjectDetailView(DetailView):
    template_name = "regions/project_detail.html"

    def get_queryset(self):
        return Project.objects.prefetch_related(
            "objectives",
            "stated_figures",
            "links",
            "publications",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("partner__region").order_by(
                    in_reader_order("partner__name"), "partner__slug"
                ),
            ),
            Prefetch(
                "potentials",
                queryset=related_records(Project, "potentials")
                .published()
                .select_related("region")
                .order_by(in_reader_order("title"), "slug"),
                to_attr="public_potentials",
            ),
            Prefetch(
                "good_practices",
                queryset=related_records(Project, "good_practices")
                .published()
                .select_related("region")
                .order_by(in_reader_order("title"), "slug"),
                to_attr="public_good_practices",
            ),
        )

    def get_context_data(self, **kwargs):
        project = self.object
        memberships = list(project.memberships.all())
        members_by_role = [
            (label, [m for m in memberships if m.role == role])
            for role, label in Membership.Role.choices
        ]
        return super().get_context_data(
            counts=project.headline_counts(),
            members_by_role=[(label, ms) for label, ms in members_by_role if ms],
            # Only whether the map has anything to show: its markers come from
            # the API.
            markers_url=markers_url(
                ["potential", "goodpractice"],
                [("project", project.slug)],
                get_language(),
            )
            if any_located(project.public_potentials, project.public_good_practices)
            else None,
            json_ld=project_json_ld(project, self.request, memberships),
            network=project_network(project),
            **kwargs,
        )


class PublicationListView(FacetedListView):
    filterset_class = PublicationFilter
    template_name = "regions/publication_list.html"
    card_meta_template = "regions/includes/publication_card_meta.html"
    sort_options = {
        "newest": SortOption(
            _("Newest first"), lambda: ["-year", "slug"], "-year,slug"
        ),
        "title": SortOption(
            _("Title (A–Z)"), lambda: [in_reader_order("title").asc(), "slug"], "title"
        ),
    }

    def get_queryset(self):
        return Publication.objects.select_related("project")


class PublicationDetailView(DetailView):
    template_name = "regions/publication_detail.html"

    def get_queryset(self):
        return Publication.objects.select_related("project").prefetch_related("links")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            json_ld=publication_json_ld(self.object, self.request), **kwargs
        )


class PolicyInstrumentListView(FacetedListView):
    filterset_class = PolicyInstrumentFilter
    template_name = "regions/policyinstrument_list.html"
    card_meta_template = "regions/includes/policyinstrument_card_meta.html"
    title_field = "name"
    summary_field = None
    sort_options = {
        "name": _by_name(),
        "country": SortOption(
            _("Country"),
            lambda: ["country", in_reader_order("name").asc(), "slug"],
            "country,name",
        ),
        "newest": SortOption(
            _("Newest period first"),
            lambda: [F("period_start").desc(nulls_last=True), "slug"],
            "-period_start,slug",
        ),
    }

    def get_queryset(self):
        return PolicyInstrument.objects.select_related("region")


class PolicyInstrumentDetailView(DetailView):
    template_name = "regions/policyinstrument_detail.html"

    def get_queryset(self):
        return PolicyInstrument.objects.select_related("region").prefetch_related(
            "links",
            Prefetch("projects", queryset=Project.objects.order_by("acronym")),
            Prefetch(
                "good_practices",
                queryset=related_records(PolicyInstrument, "good_practices")
                .published()
                .select_related("region"),
                to_attr="public_good_practices",
            ),
        )
