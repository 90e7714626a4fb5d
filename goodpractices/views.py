from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from core.collation import in_reader_order, reader_sort
from core.db import latest_records
from core.http import client_address
from core.images import first_images
from core.languages import named_by
from core.pdf import CaseSheetMixin
from core.ratelimit import hit
from core.structured_data import good_practice_json_ld
from editorial.views import PreviewMixin
from goodpractices.filters import GoodPracticeFilter
from goodpractices.forms import ProposalForm
from goodpractices.models import GoodPractice, GoodPracticeImage, Stakeholder
from goodpractices.services import ProposalsClosed, good_practice_propose
from goodpractices.similarity import (
    potentials_for_practice,
    similar_good_practices,
)
from potentials.models import Potential
from search.browse import FacetedListView, SortOption
from search.maps import map_points


class GoodPracticeListView(FacetedListView):
    filterset_class = GoodPracticeFilter
    template_name = "goodpractices/goodpractice_list.html"
    card_meta_template = "goodpractices/includes/card_meta.html"
    show_map = True
    card_pictures = True
    sort_options = {
        "title": SortOption(
            _("Title (A–Z)"), lambda: [in_reader_order("title").asc(), "slug"], "title"
        ),
        "newest": SortOption(
            _("Newest first"), lambda: ["-published_at", "-pk"], "-published_at"
        ),
    }

    def get_queryset(self):
        return GoodPractice.objects.published().select_related(
            "region", "main_institution"
        )

    def get_card_fields(self) -> list[str]:
        return GoodPractice.card_fields()

    def get_card_prefetches(self) -> list:
        # The categories give the icon of a practice without a picture.
        return [first_images(GoodPracticeImage), "categories"]


class GoodPracticeDetailView(PreviewMixin, DetailView):
    template_name = "goodpractices/goodpractice_detail.html"

    def get_queryset(self):
        return (
            GoodPractice.objects.visible_to(self.request.user)
            .select_related("region", "main_institution")
            .prefetch_related(
                "themes",
                "categories",
                "projects",
                "links",
                "images",
                "legacy_types",
                "transferable_legacy_types",
                "policy_instruments",
                Prefetch(
                    "stakeholders",
                    queryset=Stakeholder.objects.select_related("partner"),
                ),
            )
        )

    def get_object(self, queryset=None):
        practice = super().get_object(queryset)
        # A page's worth, the latest linked: the page never grows with the data.
        practice.public_potentials = latest_records(
            Potential.objects.published()
            .filter(good_practices=practice)
            .only(*named_by(Potential, "title")),
            shown_by=reader_sort("title"),
        )
        return practice

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            map_points=map_points([self.object]),
            json_ld=good_practice_json_ld(self.object, self.request),
            # What the page shows of them: names, places and links.
            similar_records=similar_good_practices(
                self.object, only=named_by(GoodPractice, "title", region=("name",))
            ),
            found_potentials=potentials_for_practice(
                self.object,
                only=named_by(
                    Potential,
                    "title",
                    category=("name",),
                    region=("name", "country"),
                ),
            ),
            **kwargs,
        )


class GoodPracticeCaseSheetView(CaseSheetMixin, GoodPracticeDetailView):
    """The practice as a PDF case sheet, in the Interreg Europe template's order."""

    template_name = "goodpractices/goodpractice_case_sheet.html"


def _rate_limited(*keys: str) -> bool:
    """Count one proposal against each key; True once any is over the limit."""
    verdicts = [
        hit(
            "proposals",
            key,
            settings.PROPOSALS_RATE_LIMIT,
            settings.PROPOSALS_RATE_WINDOW,
        )
        for key in keys
    ]
    return not all(verdict.allowed for verdict in verdicts)


class ProposeView(FormView):
    """Anyone may propose a good practice; moderators review it before it shows."""

    template_name = "goodpractices/propose.html"
    form_class = ProposalForm

    def form_valid(self, form):
        data = form.cleaned_data
        address = client_address(self.request)
        if _rate_limited(f"ip:{address}", f"email:{data['proposer_email'].lower()}"):
            form.add_error(
                None,
                gettext(
                    "You have sent several proposals in a short time. Please wait "
                    "an hour and send this one again; your text is still here."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_spam:
            # Robots are told nothing: the same answer, but nothing is kept or sent.
            return redirect("goodpractices:propose-thanks")
        try:
            good_practice_propose(
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                kind=data["kind"],
                language=data["language"],
                proposer_name=data["proposer_name"],
                proposer_email=data["proposer_email"],
                proposer_organisation=data["proposer_organisation"],
                country=data["country"],
                region=data["region"],
                theme=data["theme"],
                links=data["links"],
                site_url=self.request.build_absolute_uri("/"),
            )
        except ProposalsClosed:
            form.add_error(
                None,
                gettext(
                    "Proposals cannot be received at the moment. Please try again "
                    "later."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return redirect("goodpractices:propose-thanks")


class ProposeThanksView(TemplateView):
    template_name = "goodpractices/propose_thanks.html"
