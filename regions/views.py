from django.db.models import Count, F, Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from core.collation import in_reader_order, reader_sort
from core.db import first_records, related_records
from core.images import first_images
from core.languages import named_by, reading_only
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


def any_located(*querysets) -> bool:
    """Whether a map of these records shows anything: one EXISTS each, at most."""
    return any(qs.filter(latitude__isnull=False).exists() for qs in querysets)


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

    def get_card_fields(self) -> list[str]:
        return named_by(
            Region,
            "name",
            "summary",
            "country",
            "kind",
            "mining_status",
            "mining_ended_year",
        )

    def get_card_prefetches(self) -> list:
        return [first_images(RegionImage)]


class RegionDetailView(DetailView):
    template_name = "regions/region_detail.html"

    def get_queryset(self):
        return Region.objects.prefetch_related("links", "images", *profile_prefetches())

    def get_context_data(self, **kwargs):
        region = self.object
        potentials = (
            related_records(Region, "potentials").published().filter(region=region)
        )
        good_practices = (
            related_records(Region, "good_practices").published().filter(region=region)
        )
        return super().get_context_data(
            potentials=first_records(
                reading_only(
                    potentials,
                    named_by(potentials.model, "title", category=("name",)),
                ).order_by(in_reader_order("title"), "slug")
            ),
            good_practices=first_records(
                reading_only(
                    good_practices, named_by(good_practices.model, "title")
                ).order_by(in_reader_order("title"), "slug")
            ),
            partners=first_records(
                # The key of the region too: the relation's manager sets it.
                region.partners.only(*named_by(Partner, "name"), "region").order_by(
                    in_reader_order("name"), "slug"
                )
            ),
            projects=first_records(
                Project.objects.filter(
                    pk__in=Membership.objects.filter(partner__region=region).values(
                        "project"
                    )
                ).order_by("acronym")
            ),
            instruments=first_records(
                region.policy_instruments.order_by("-period_start", "slug")
            ),
            # The region's own place; its records' come from the API.
            map_points=map_points([region], "name"),
            markers_url=markers_url(
                ["potential", "goodpractice"], [("region", region.slug)], get_language()
            )
            if any_located(potentials, good_practices)
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

    def get_card_fields(self) -> list[str]:
        return named_by(Partner, "name", "acronym", "kind", "country", region=("name",))

    def get_card_prefetches(self) -> list:
        return [first_images(PartnerImage)]


class PartnerDetailView(DetailView):
    template_name = "regions/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.select_related("region").prefetch_related(
            "links",
            "images",
            Prefetch("contacts", queryset=Contact.objects.select_related("project")),
        )

    def get_context_data(self, **kwargs):
        partner = self.object
        return super().get_context_data(
            memberships=first_records(
                partner.memberships.select_related("project").order_by(
                    "project__acronym"
                )
            ),
            potential_roles=first_records(
                related_records(Partner, "potential_roles")
                .filter(partner=partner, potential__status=Status.PUBLISHED)
                .select_related("potential")
                .order_by(in_reader_order("potential__title"), "potential__slug")
            ),
            # The latest, a page of an index, shown alphabetically.
            good_practices=first_records(
                related_records(Partner, "main_good_practices")
                .published()
                .filter(main_institution=partner)
                .order_by("-pk"),
                shown_by=reader_sort("title"),
            ),
            json_ld=partner_json_ld(partner, self.request),
            **kwargs,
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
        return Project.objects.all()

    def paginate_queryset(self, queryset, page_size):
        paginator, page, projects, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        # The partners of the page's projects, counted in one query: annotated
        # on the list, they were counted for every project before a page was cut.
        page.object_list = projects = list(projects)
        counts = dict(
            Membership.objects.filter(project__in=projects)
            .order_by()
            .values_list("project")
            .annotate(members=Count("pk"))
        )
        for project in projects:
            project.partner_count = counts.get(project.pk, 0)
        return paginator, page, projects, is_paginated


# A project's members shown on its page (a network's may run to hundreds); the
# rest are on the partners list filtered to the project.
MEMBERS_SHOWN = 20


class ProjectDetailView(DetailView):
    template_name = "regions/project_detail.html"

    def get_queryset(self):
        return Project.objects.prefetch_related("objectives", "stated_figures", "links")

    def get_context_data(self, **kwargs):
        project = self.object
        counts = project.headline_counts()
        members = first_records(
            project.memberships.select_related("partner__region").order_by(
                in_reader_order("partner__name"), "partner__slug"
            ),
            limit=MEMBERS_SHOWN,
        )
        memberships = members.records
        members_by_role = [
            (label, [m for m in memberships if m.role == role])
            for role, label in Membership.Role.choices
        ]
        potentials = (
            related_records(Project, "potentials").published().filter(projects=project)
        )
        good_practices = (
            related_records(Project, "good_practices")
            .published()
            .filter(projects=project)
        )
        return super().get_context_data(
            counts=counts,
            members=members,
            members_by_role=[(label, ms) for label, ms in members_by_role if ms],
            role_counts=[
                (label, counts.by_role[role])
                for role, label in Membership.Role.choices
                if counts.by_role[role]
            ],
            # The latest linked, a page of an index, shown alphabetically.
            potentials=first_records(
                reading_only(
                    potentials, named_by(potentials.model, "title", region=("name",))
                ).order_by("-pk"),
                shown_by=reader_sort("title"),
            ),
            good_practices=first_records(
                reading_only(
                    good_practices, named_by(good_practices.model, "title")
                ).order_by("-pk"),
                shown_by=reader_sort("title"),
            ),
            publications=first_records(project.publications.order_by("-year", "slug")),
            instruments=first_records(
                project.policy_instruments.order_by("-period_start", "slug")
            ),
            # Only whether the map has anything to show: its markers come from
            # the API.
            markers_url=markers_url(
                ["potential", "goodpractice"],
                [("project", project.slug)],
                get_language(),
            )
            if any_located(potentials, good_practices)
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
            "links"
        )

    def get_context_data(self, **kwargs):
        instrument = self.object
        return super().get_context_data(
            projects=first_records(instrument.projects.order_by("acronym")),
            good_practices=first_records(
                related_records(PolicyInstrument, "good_practices")
                .published()
                .filter(policy_instruments=instrument)
                .select_related("region")
                .order_by(in_reader_order("title"), "slug")
            ),
            **kwargs,
        )
