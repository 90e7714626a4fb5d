"""The endpoints of API v1.

Every endpoint is a `PublicReadViewSet`: list and detail by slug, the shared
FilterSet of its kind of record, `ordering`, page-number pagination, JSON by
default, GeoJSON for records on the map and a streamed CSV export of any list.
Responses are cached and validated (ETag, Last-Modified) as api/caching.py
describes.

Potentials and good practices are also `EditorialViewSet`s: partner staff with a
token create and change them, move them through the editorial life cycle
(submit, publish, send back, archive), delete them and restore earlier versions.
Every write is one service of `editorial.services`, which applies the rules
of `editorial.rules`, in one transaction per request.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from api import caching, rows, serializers
from api.exceptions import service_errors
from api.languages import LANGUAGE_PARAM, UnknownLanguage
from api.languages import response_language as negotiate_language
from api.maps import marker_sources
from api.preconditions import check_if_match, record_etag, record_version
from api.renderers import CSVRenderer, GeoJSONRenderer, JSONRenderer, csv_response
from api.schema import (
    document,
    document_map_markers,
    document_network,
    document_similar,
    document_similarity,
    document_writes,
)
from api.serializers import prefetched
from api.visibility import visible_records
from core.languages import language_codes, language_column
from editorial.history import versions_of
from editorial.models import Transition
from editorial.rules import can_edit, can_restore, manages
from editorial.services import (
    publishable_create,
    publishable_delete,
    publishable_restore,
    publishable_transition,
    publishable_update,
)
from goodpractices.filters import GoodPracticeFilter
from goodpractices.models import GoodPractice, Stakeholder
from goodpractices.similarity import similar_good_practices
from potentials.filters import CategoryFilter, PotentialFilter
from potentials.models import Category, Potential, PotentialActor, Theme
from potentials.similarity import similar_potentials
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
    DevelopmentGoal,
    LegacyType,
    Membership,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionLegacy,
)
from regions.network import ActorNetwork, project_network, region_network
from regions.similarity import (
    MATCH_RESULTS,
    SIMILAR_ON_PAGE,
    practices_to_learn_from,
    profile_prefetches,
    region_profile,
    similar_regions,
)
from search.maps import cell_size, map_markers


class JSONErrorsMixin:
    """Errors, and the description OPTIONS gives, in JSON whatever format the
    view answers in otherwise (GeoJSON, CSV, the schema's YAML, the docs' HTML)."""

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if (
            isinstance(response, Response)
            and (response.status_code >= 400 or request.method == "OPTIONS")
            and type(renderer) is not JSONRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    """The OpenAPI schema; its errors in JSON, not in the schema's YAML."""


class DocsView(JSONErrorsMixin, SpectacularSwaggerSplitView):
    """The browsable docs; their errors in JSON, as every API error."""


class PublicReadViewSet(JSONErrorsMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    #: The serializer of a single record; `serializer_class` shapes list rows.
    detail_serializer_class: type | None = None
    #: Whether records have a location and so a GeoJSON form.
    geojson = False
    ordering_fields: tuple[str, ...] = ()
    #: Read by api.exceptions.exception_handler; see as_view().
    reads_outside_transaction = True
    #: Anonymous reads of lists and records are answered from the cache by
    #: api.middleware.CachedReadsMiddleware.
    cached_reads = True

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Reads run in autocommit: a transaction per request would cost two round
        # trips and, with ATOMIC_REQUESTS, a database connection even for answers
        # served from the cache. Writes open their own (EditorialViewSet).
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_renderers(self):
        renderers = [JSONRenderer()]
        if self.geojson:
            renderers.append(GeoJSONRenderer())
        # OPTIONS describes the list or record in any format it is asked in
        # (answered in JSON: JSONErrorsMixin).
        if self.action == "list" or (
            self.request.method == "OPTIONS" and not self.detail
        ):
            renderers.append(CSVRenderer())
        return renderers

    # --- Language, caching and conditional requests --------------------------

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        try:
            self.language = negotiate_language(request)
        except UnknownLanguage:
            # initial() answers 400 for it, through DRF's error handling.
            self.language = None
        if request.method not in ("GET", "HEAD") or self.language is None:
            with translation.override(self.language or "en"):
                return super().dispatch(request, *args, **kwargs)
        # An anonymous read of a list or record passed on by CachedReadsMiddleware,
        # which read the cache, counted the throttles and files the answer;
        # otherwise, the generation alone, for Last-Modified.
        front = getattr(request, "api_front_read", None)
        if front is not None:
            context = front.context
            request.api_throttles_refused = front.refused
        else:
            context, _counts = caching.read_context(
                request, self.language, cacheable=False
            )
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            return caching.finish_response(request, response, context)

    def check_throttles(self, request) -> None:
        refused = getattr(request._request, "api_throttles_refused", None)
        if refused is None:
            super().check_throttles(request)
        elif refused:
            # Counted already, with the cache read.
            self.throttled(request, max(throttle.wait() for throttle in refused))

    def initial(self, request, *args, **kwargs) -> None:
        if not self._allows(request.method):
            # A method no one may use is refused as such, before any question of
            # who asks (which would answer an anonymous TRACE with 401).
            self.http_method_not_allowed(request, *args, **kwargs)
        if self.language is None:
            raise ValidationError(
                {
                    LANGUAGE_PARAM: [
                        _("Unknown language; choose from: %(languages)s.")
                        % {"languages": ", ".join(language_codes())}
                    ]
                }
            )
        request.LANGUAGE_CODE = self.language
        super().initial(request, *args, **kwargs)

    def _allows(self, method: str) -> bool:
        name = method.lower()
        return name in self.http_method_names and hasattr(self, name)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = self.language or "en"
        return response

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # A record is addressed by its slug alone; list filters do not apply.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    # --- Lists ----------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        serializer_class = self.get_serializer_class()
        if request.accepted_renderer.format == CSVRenderer.format:
            return csv_response(
                queryset,
                serializer_class,
                self.get_serializer_context(),
                # The last part of the address: "potentials", "good-practices"…
                filename=request.path.rstrip("/").rsplit("/", 1)[-1],
            )
        page = self.paginator.page_queryset(queryset, request)
        plan = rows.plan_for(serializer_class, queryset)
        if plan is None:
            data = self.get_serializer(page, many=True).data
        else:
            data = rows.page_rows(plan, page, self.get_serializer_context())
        return self.get_paginated_response(data)


def without_long_texts(queryset: QuerySet, *fields: str) -> QuerySet:
    """Lists show no long texts: leave their columns, in every language, unread."""
    return queryset.defer(
        *(
            column
            for field in fields
            for column in (
                field,
                *(language_column(field, code) for code in language_codes()),
            )
        )
    )


# --- Writes: potentials and good practices ------------------------------------------


class EditorialViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PublicReadViewSet,
):
    """Writes by partner staff, each one service call in one transaction.

    Only signed-in users write (a token: `Authorization: Token <key>`); who may do
    what is the services' decision (`PermissionDenied` → 403, invalid content or
    a move the status does not allow → 400). A record the user cannot read is a
    404, as for reads. Writes answer with the record in its editable shape (the
    write serializer), every language included.
    """

    write_serializer_class: type[serializers.EditorialSerializer]

    def get_serializer_class(self):
        # Every write, and OPTIONS describing one, takes and answers the record
        # in its editable shape.
        if self.request.method not in SAFE_METHODS:
            return self.write_serializer_class
        if self.action == "versions":
            return serializers.VersionSerializer
        return super().get_serializer_class()

    def get_permissions(self):
        if self.action == "versions":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_renderers(self):
        if self.action in ("list", "retrieve") or self.request.method == "OPTIONS":
            return super().get_renderers()
        return [JSONRenderer()]

    def get_object(self):
        record = super().get_object()
        if self.action in ("update", "partial_update") and not can_edit(
            self.request.user, record
        ):
            # Before the request body is validated: one who may not change the
            # record learns that first. The service checks again as it saves.
            raise PermissionDenied(_("You may not change this record."))
        if self.request.method not in SAFE_METHODS:
            check_if_match(self.request, record)
        return record

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        response = Response(self.get_serializer(record).data)
        # Leads the ETag (api.caching.finish_response), for If-Match.
        response.record_version = record_version(record)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "saved_record", None)
        if record is not None and response.status_code in (200, 201):
            # The ETag of the record as written: the next write's If-Match.
            response.render()
            response["ETag"] = record_etag(record, response.content)
        return response

    def write(self, service, *, record=None, **kwargs):
        """Run `service` on the record addressed (or `record`) in one transaction,
        and answer with the record as it now is."""
        model = self.write_serializer_class.Meta.model
        with transaction.atomic(), service_errors(model):
            record = record or self.get_object()
            record = service(record=record, by=self.request.user, **kwargs) or record
        self.saved_record = record
        return Response(self.get_serializer(record).data)

    # --- Create, change, delete ----------------------------------------------------

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        record, many = serializer.to_record()
        with service_errors(type(record)):
            serializer.instance = publishable_create(
                record=record, by=self.request.user, m2m=many
            )
        self.saved_record = serializer.instance

    def perform_update(self, serializer) -> None:
        record, many = serializer.to_record()
        with service_errors(type(record)):
            serializer.instance = publishable_update(
                record=record, by=self.request.user, m2m=many
            )
        self.saved_record = serializer.instance

    def perform_destroy(self, instance) -> None:
        with service_errors(type(instance)):
            publishable_delete(record=instance, by=self.request.user)

    # --- The editorial life cycle -----------------------------------------------------

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self.write(publishable_transition, transition=Transition.SUBMIT)

    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return self.write(publishable_transition, transition=Transition.PUBLISH)

    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, *args, **kwargs):
        body = serializers.SendBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.write(
            publishable_transition,
            transition=Transition.SEND_BACK,
            comment=body.validated_data["comment"],
        )

    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        return self.write(publishable_transition, transition=Transition.ARCHIVE)

    # --- History ---------------------------------------------------------------------

    @action(detail=True, methods=["get"])
    def versions(self, request, *args, **kwargs):
        """The record's kept versions, oldest first (as the admin's History), a
        page at a time as every list."""
        record = self.get_object()
        if not manages(request.user, record):
            raise PermissionDenied(
                _("Only the record's organisation and the moderators see its history.")
            )
        page = self.paginator.page_queryset(versions_of(record), request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        body = serializers.RestoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            record = self.get_object()
            if not can_restore(request.user, record):
                raise PermissionDenied(_("You may not change this record."))
            version = versions_of(record).filter(pk=body.validated_data["version"])
            if not version.exists():
                raise ValidationError(
                    {"version": [_("This record has no version with this id.")]}
                )
            return self.write(publishable_restore, record=record, version=version.get())


class SimilarRecordsMixin:
    """`<record>/similar/`: the published records most like one the client may
    read (potentials/similarity.py), with their scores and reasons."""

    similar_serializer_class: type[serializers.Serializer]

    def find_similar(self, record) -> list:
        raise NotImplementedError

    def get_serializer_class(self):
        if self.action == "similar":
            return self.similar_serializer_class
        return super().get_serializer_class()

    # A short list, whole: not a page (and documented as none).
    @action(detail=True, methods=["get"], pagination_class=None)
    def similar(self, request, *args, **kwargs):
        record = self.get_object()
        return Response(self.get_serializer(self.find_similar(record), many=True).data)


# --- Regions, partners, projects, publications ------------------------------------


@document(
    "regions",
    serializers.RegionSerializer,
    serializers.RegionDetailSerializer,
    geojson=True,
)
class RegionViewSet(PublicReadViewSet):
    serializer_class = serializers.RegionSerializer
    detail_serializer_class = serializers.RegionDetailSerializer
    filterset_class = RegionFilter
    ordering_fields = (
        "name",
        "slug",
        "country",
        "population",
        "area_km2",
        "mining_ended_year",
    )
    geojson = True

    def get_queryset(self) -> QuerySet[Region]:
        queryset = Region.objects.prefetch_related(
            prefetched("commodities"), prefetched("goals")
        )
        if self.action == "list":
            queryset = without_long_texts(
                queryset, "description", "goals_text", "challenges", "strengths"
            )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("partners", Partner.objects.order_by("slug")),
                prefetched(
                    "legacies", RegionLegacy.objects.select_related("legacy_type")
                ),
                "images",
                "links",
            )
        return queryset


@document_similarity()
class RegionSimilarityViewSet(PublicReadViewSet):
    """“Regions like mine” (regions.similarity): `regions/<slug>/similar/` and
    `regions/match/`, which takes the parameters of the page's form."""

    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.prefetch_related(*profile_prefetches())

    def get_serializer_class(self):
        if self.action == "match":
            return serializers.RegionMatchSerializer
        return serializers.SimilarRegionsSerializer

    # Routed in api/urls.py, ahead of the router's regions/<slug>/.
    @action(detail=True, methods=["get"])
    def similar(self, request, *args, **kwargs):
        region = self.get_object()
        results = similar_regions(region_profile(region), limit=SIMILAR_ON_PAGE)
        return Response(
            self.get_serializer({"region": region, "results": results}).data
        )

    @action(detail=False, methods=["get"])
    def match(self, request, *args, **kwargs):
        form = RegionMatchForm.from_query(request.query_params)
        results = []
        if form.is_bound:
            if not form.is_valid():
                raise ValidationError(
                    {
                        name: [str(message) for message in messages]
                        for name, messages in form.errors.items()
                    }
                )
            results = similar_regions(form.profile(), limit=MATCH_RESULTS)
        return Response(
            self.get_serializer(
                {
                    "results": results,
                    "good_practices": practices_to_learn_from(results),
                }
            ).data
        )


@document(
    "partners", serializers.PartnerSerializer, serializers.PartnerDetailSerializer
)
class PartnerViewSet(PublicReadViewSet):
    serializer_class = serializers.PartnerSerializer
    detail_serializer_class = serializers.PartnerDetailSerializer
    filterset_class = PartnerFilter
    ordering_fields = ("name", "slug", "acronym", "country")

    def get_queryset(self) -> QuerySet[Partner]:
        queryset = Partner.objects.select_related("region")
        if self.action == "list":
            queryset = without_long_texts(
                queryset,
                "region__summary",
                "region__description",
                "region__goals_text",
                "region__challenges",
                "region__strengths",
            )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("project")),
                Prefetch("contacts", Contact.objects.select_related("project")),
                "images",
                "links",
            )
        return queryset


@document(
    "projects", serializers.ProjectSerializer, serializers.ProjectDetailSerializer
)
class ProjectViewSet(PublicReadViewSet):
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    filterset_class = ProjectFilter
    ordering_fields = ("acronym", "title", "start_date", "end_date", "partner_count")

    def get_queryset(self) -> QuerySet[Project]:
        queryset = Project.objects.with_counts()
        if self.action == "list":
            queryset = without_long_texts(queryset, "description")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("partner")),
                "objectives",
                "stated_figures",
                "publications",
                "links",
            )
        return queryset


@document(
    "publications",
    serializers.PublicationSerializer,
    serializers.PublicationDetailSerializer,
)
class PublicationViewSet(PublicReadViewSet):
    serializer_class = serializers.PublicationSerializer
    detail_serializer_class = serializers.PublicationDetailSerializer
    filterset_class = PublicationFilter
    ordering_fields = ("title", "slug", "year")

    def get_queryset(self) -> QuerySet[Publication]:
        queryset = Publication.objects.select_related("project")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("links")
        return queryset


# --- Taxonomy -------------------------------------------------------------------------


@document("themes", serializers.ThemeSerializer)
class ThemeViewSet(PublicReadViewSet):
    serializer_class = serializers.ThemeSerializer
    ordering_fields = ("order", "name", "slug")

    def get_queryset(self) -> QuerySet[Theme]:
        return Theme.objects.prefetch_related(prefetched("categories"))


@document("categories", serializers.CategorySerializer)
class CategoryViewSet(PublicReadViewSet):
    serializer_class = serializers.CategorySerializer
    filterset_class = CategoryFilter
    ordering_fields = ("order", "name", "slug")

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.select_related("theme").prefetch_related(
            prefetched("goals")
        )


@document("legacy types", serializers.LegacyTypeSerializer)
class LegacyTypeViewSet(PublicReadViewSet):
    serializer_class = serializers.LegacyTypeSerializer
    ordering_fields = ("order", "name", "slug")

    def get_queryset(self) -> QuerySet[LegacyType]:
        return LegacyType.objects.all()


@document("development goals", serializers.DevelopmentGoalSerializer)
class DevelopmentGoalViewSet(PublicReadViewSet):
    serializer_class = serializers.DevelopmentGoalSerializer
    ordering_fields = ("order", "name", "slug")

    def get_queryset(self) -> QuerySet[DevelopmentGoal]:
        return DevelopmentGoal.objects.prefetch_related(prefetched("categories"))


# --- Potentials and good practices ---------------------------------------------------


@document_similar("potentials", serializers.SimilarPotentialSerializer)
@document_writes("potentials", serializers.PotentialWriteSerializer)
@document(
    "potentials",
    serializers.PotentialSerializer,
    serializers.PotentialDetailSerializer,
    geojson=True,
)
class PotentialViewSet(SimilarRecordsMixin, EditorialViewSet):
    serializer_class = serializers.PotentialSerializer
    detail_serializer_class = serializers.PotentialDetailSerializer
    write_serializer_class = serializers.PotentialWriteSerializer
    similar_serializer_class = serializers.SimilarPotentialSerializer
    find_similar = staticmethod(similar_potentials)
    filterset_class = PotentialFilter
    ordering_fields = (
        "title",
        "slug",
        "published_at",
        "updated_at",
        "area_ha",
        "capacity_mw",
        "visitors_per_year",
    )
    geojson = True

    def get_queryset(self) -> QuerySet[Potential]:
        user = self.request.user
        queryset = (
            visible_records(Potential.objects.all(), user)
            .select_related("region", "category__theme")
            .prefetch_related(prefetched("legacy_types"))
        )
        if self.action == "list":
            queryset = without_long_texts(
                queryset,
                "description",
                "utilisation_options",
                "region__summary",
                "region__description",
                "region__goals_text",
                "region__challenges",
                "region__strengths",
                "category__description",
                "category__theme__description",
            )
        if self.action == "retrieve":
            queryset = queryset.select_related("owner").prefetch_related(
                Prefetch(
                    "actor_roles", PotentialActor.objects.select_related("partner")
                ),
                "projects",
                Prefetch(
                    "good_practices",
                    visible_records(GoodPractice.objects.all(), user),
                ),
                "images",
                "links",
            )
        return queryset


@document_similar("good practices", serializers.SimilarGoodPracticeSerializer)
@document_writes("good practices", serializers.GoodPracticeWriteSerializer)
@document(
    "good practices",
    serializers.GoodPracticeSerializer,
    serializers.GoodPracticeDetailSerializer,
    geojson=True,
)
class GoodPracticeViewSet(SimilarRecordsMixin, EditorialViewSet):
    serializer_class = serializers.GoodPracticeSerializer
    detail_serializer_class = serializers.GoodPracticeDetailSerializer
    write_serializer_class = serializers.GoodPracticeWriteSerializer
    similar_serializer_class = serializers.SimilarGoodPracticeSerializer
    find_similar = staticmethod(similar_good_practices)
    filterset_class = GoodPracticeFilter
    ordering_fields = (
        "title",
        "slug",
        "start_date",
        "end_date",
        "published_at",
        "updated_at",
    )
    geojson = True

    def get_queryset(self) -> QuerySet[GoodPractice]:
        user = self.request.user
        queryset = (
            visible_records(GoodPractice.objects.all(), user)
            .select_related("region", "main_institution")
            .prefetch_related(prefetched("themes"), prefetched("legacy_types"))
        )
        if self.action == "list":
            queryset = without_long_texts(
                queryset,
                "description",
                "resources_needed",
                "evidence_of_success",
                "difficulties_encountered",
                "potential_for_learning",
                "funding_sources",
                "success_factors",
                "limiting_factors",
                "preconditions",
                "validation_opinion",
                "region__summary",
                "region__description",
                "region__goals_text",
                "region__challenges",
                "region__strengths",
            )
        if self.action == "retrieve":
            queryset = queryset.select_related("owner").prefetch_related(
                "categories",
                Prefetch("potentials", visible_records(Potential.objects.all(), user)),
                "projects",
                "policy_instruments",
                "transferable_legacy_types",
                Prefetch("stakeholders", Stakeholder.objects.select_related("partner")),
                "images",
                "links",
            )
        return queryset


# --- Policy instruments and actor networks -------------------------------------------


@document(
    "policy instruments",
    serializers.PolicyInstrumentSerializer,
    serializers.PolicyInstrumentDetailSerializer,
)
class PolicyInstrumentViewSet(PublicReadViewSet):
    serializer_class = serializers.PolicyInstrumentSerializer
    detail_serializer_class = serializers.PolicyInstrumentDetailSerializer
    filterset_class = PolicyInstrumentFilter
    ordering_fields = ("name", "slug", "country", "period_start", "period_end")

    def get_queryset(self) -> QuerySet[PolicyInstrument]:
        queryset = PolicyInstrument.objects.select_related("region").prefetch_related(
            prefetched("projects", Project.objects.order_by("acronym"))
        )
        if self.action == "list":
            queryset = without_long_texts(
                queryset, "region__summary", "region__description"
            )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "good_practices",
                    visible_records(GoodPractice.objects.all(), self.request.user),
                ),
                "links",
            )
        return queryset


class NetworkViewSet(PublicReadViewSet):
    """The actor network of one record (regions/network.py), read only.

    Only published records tie organisations, whoever asks: the answer is the
    same for every client, and cached as every anonymous read.
    """

    serializer_class = serializers.NetworkSerializer

    def network(self, record) -> ActorNetwork:
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        network = self.network(self.get_object())
        return Response(self.get_serializer(network).data)


@document_network("regions")
class RegionNetworkViewSet(NetworkViewSet):
    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.all()

    def network(self, record: Region) -> ActorNetwork:
        return region_network(record)


@document_network("projects")
class ProjectNetworkViewSet(NetworkViewSet):
    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.all()

    def network(self, record: Project) -> ActorNetwork:
        return project_network(record)


# --- Maps -----------------------------------------------------------------------------


@document_map_markers()
class MapMarkerViewSet(PublicReadViewSet):
    """The markers of a map's area at its zoom (search.maps): clustered in the
    database, at most one per grid cell in view, so that an answer's size never
    depends on the number of records. Cached as every anonymous list."""

    serializer_class = serializers.MapMarkersSerializer
    filter_backends: list = []
    pagination_class = None

    def get_renderers(self):
        return [JSONRenderer()]

    def list(self, request, *args, **kwargs):
        query = serializers.MapMarkersQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        kinds = query.validated_data["records"]
        zoom = query.validated_data["zoom"]
        markers = map_markers(
            marker_sources(kinds, request.query_params),
            zoom=zoom,
            bbox=query.validated_data["bbox"],
        )
        return Response(
            self.get_serializer(
                {
                    "count": markers.count,
                    "extent": markers.extent,
                    "zoom": zoom,
                    "cell": cell_size(zoom),
                    "clusters": markers.clusters,
                    "points": markers.points,
                }
            ).data
        )
