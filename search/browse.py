"""Faceted browsing: the list pages' filters, facet counts, sorting and map.

Filtering is the shared FilterSets' (the API uses the same ones); this module only
shows them: each facet value with its count, the sort order, a page of results and a
map, which loads the markers of the results itself (search.maps).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import ClassVar

from django import forms
from django.db import connections, models
from django.db.models import Func, prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from django_filters.views import FilterView

from core.collation import has_unaccent, in_reader_order, text_sort_key
from core.generation import kept
from core.languages import fallback_language, is_translated, localised, reading_only
from search.compare import MAX_RECORDS, MIN_RECORDS
from search.exports import ExportLinks, export_links, selection_params
from search.filters import CountryChoiceField, FacetedFilterSet
from search.maps import markers_url


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    lang: str | None = None


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    #: How many values have records: more than a facet shows makes it searchable.
    total: int = 0
    searchable: bool = False
    #: Whether the options are a search's matches (or all values, up to a page)
    #: rather than the values with the most records.
    expanded: bool = False
    query: str = ""
    matches: int = 0
    #: The page with this facet's values all shown (up to FACET_PAGE_SIZE).
    all_url: str = ""

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


# The most values an expanded facet shows (`?facet=region`): a search narrows them.
FACET_PAGE_SIZE = 50
# The longest text a facet's search takes.
FACET_QUERY_LENGTH = 100


def _label_field(model: type[models.Model]) -> str | None:
    return "name" if is_translated(model, "name") else None


def _in_label_order(queryset: models.QuerySet, label_field: str | None):
    """Values in the reader's alphabetical order, unless editors curate an order."""
    if label_field is None or "order" in queryset.model._meta.ordering:
        return queryset
    return queryset.order_by(in_reader_order(label_field), "slug")


def _choices(
    form_field: forms.Field, values: Iterable[str]
) -> Iterable[tuple[str, str, str | None]]:
    """(value, label, language of the label) of `values`, in the reader's order;
    only those are read."""
    values = set(values)
    if not values:
        return
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        label_field = _label_field(form_field.queryset.model)
        chosen = form_field.queryset.filter(slug__in=values)
        for obj in _in_label_order(chosen, label_field):
            lang = fallback_language(obj, label_field) if label_field else None
            yield obj.slug, str(obj), lang
    elif isinstance(form_field, CountryChoiceField):
        # Named one by one: the whole list would name ~250 countries a request.
        for value in values:
            if value in country_names:
                yield value, str(country_names.name(value)), None
    else:
        for value, label in form_field.choices:
            if str(value) in values:
                yield str(value), str(label), None


def _matching(form_field: forms.Field, values: list[str], query: str) -> set[str]:
    """Which of `values` have a label containing `query`, ignoring case and
    accents; all of them for no query."""
    if not query:
        return set(values)
    wanted = text_sort_key(query)[0]
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        candidates = form_field.queryset.filter(slug__in=values)
        label_field = _label_field(candidates.model)
        if label_field and has_unaccent(connections[candidates.db]):
            # The label the reader sees, without accents, as text_sort_key
            # compares it below: the database reads only the matches.
            candidates = candidates.alias(
                facet_label=Lower(
                    Func(
                        localised(label_field),
                        function="unaccent",
                        output_field=models.TextField(),
                    )
                )
            ).filter(facet_label__contains=wanted)
        return {obj.slug for obj in candidates if wanted in text_sort_key(str(obj))[0]}
    return {
        str(value)
        for value, label in form_field.choices
        if str(value) in set(values) and wanted in text_sort_key(str(label))[0]
    }


def facets_of(
    filterset: FacetedFilterSet,
    *,
    expand: str | None = None,
    query: str = "",
    path: str = "",
) -> list[Facet]:
    """Each facet's values that have results (or are chosen), with their counts.

    A facet with more than `filterset.facet_limit` values shows the ones with the
    most records and offers a search for the rest; the facet named `expand`
    shows those matching `query` instead (or every value, up to a page), most
    records first. Only the labels shown are read, and kept while the data is
    the same (`_labels`).
    """
    facets: list[Facet] = []
    counts = filterset.facet_counts()
    limit = filterset.facet_limit
    # Per facet: the values shown, the chosen ones and the counts; the options
    # are made once their labels are read (`_labels`, all facets at once).
    shown_of: dict[str, list[str]] = {}
    chosen_of: dict[str, set[str]] = {}
    counted_of: dict[str, dict[str, int]] = {}
    for name in filterset.facets:
        form_field = filterset.form.fields[name]
        # Only what could be a value is looked up (an address may hold anything).
        chosen = {
            value
            for value in filterset.data.getlist(name)
            if len(value) <= 200 and "\x00" not in value
        }
        countries = isinstance(form_field, CountryChoiceField)
        if countries:
            chosen = {value.upper() for value in chosen}
        counted = {str(value): count for value, count in counts.get(name, {}).items()}
        searchable = len(counted) > limit
        expanded = searchable and name == expand
        matches = 0
        if expanded:
            found = _matching(form_field, list(counted), query)
            shown = [value for value in counted if value in found]
            matches = len(shown)
            shown = shown[:FACET_PAGE_SIZE]
        else:
            shown = list(counted)[:limit] if searchable else list(counted)
        shown_of[name] = sorted({*shown, *chosen})
        chosen_of[name] = chosen
        counted_of[name] = counted
        facets.append(
            Facet(
                name,
                filterset.filters[name].label,
                total=len(counted),
                searchable=searchable,
                expanded=expanded,
                query=query if expanded else "",
                matches=matches,
                all_url=_facet_url(filterset, path, name) if searchable else "",
            )
        )
    labels = _labels(filterset, shown_of)
    for index, facet in enumerate(facets):
        counted, chosen = counted_of[facet.name], chosen_of[facet.name]
        labelled = [
            FacetOption(value, label, counted.get(value, 0), value in chosen, lang)
            for value, label, lang in labels[facet.name]
        ]
        if isinstance(filterset.form.fields[facet.name], CountryChoiceField):
            # Country names come sorted by django-countries, which puts "Łotwa"
            # after "Zimbabwe"; the few shown are sorted here.
            labelled.sort(key=lambda option: text_sort_key(option.label))
        facets[index] = replace(facet, options=labelled)
    return facets


def _labels(
    filterset: FacetedFilterSet, values: dict[str, list[str]]
) -> dict[str, list[tuple[str, str, str | None]]]:
    """(value, label, language of the label) of each facet's `values`, in the
    reader's order: kept per content version and language (core.generation), so
    that a page of a list reads its facets' labels once per change of the data,
    not a query per facet per request."""
    key = repr((type(filterset).__qualname__, get_language(), sorted(values.items())))
    digest = hashlib.blake2b(key.encode(), digest_size=20).hexdigest()
    return kept(
        f"facet-labels:{digest}",
        lambda: {
            name: list(_choices(filterset.form.fields[name], shown))
            for name, shown in values.items()
        },
    )


# Parameters of the page itself rather than of its selection.
PAGE_PARAMETERS = frozenset({"page", "facet", "facet_q"})


def selection_parameters(data) -> list[tuple[str, str]]:
    """The address's filters and sort, without the page and the facet search."""
    return [
        (name, value)
        for name, values in data.lists()
        if name not in PAGE_PARAMETERS
        for value in values
    ]


def _facet_url(filterset: FacetedFilterSet, path: str, name: str) -> str:
    return (
        f"{path}?{urlencode([*selection_parameters(filterset.data), ('facet', name)])}"
    )


@dataclass(frozen=True)
class ChosenFilter:
    """A filter the address chose that the page has no control for."""

    name: str
    label: str
    values: tuple[str, ...]
    remove_url: str

    @property
    def value(self) -> str:
        return ", ".join(self.values)


def filters_without_control(
    filterset: FacetedFilterSet, path: str
) -> list[ChosenFilter]:
    """Filters an address chose (a bar of the figures page links
    `?mining_ended_min=1990&mining_ended_max=1999`) that are neither facets nor the
    search box: the page names them, keeps them when other filters change, and
    links the list without each."""
    shown = {*filterset.facets, *PAGE_PARAMETERS, "search", "sort"}
    chosen = []
    for name, values in filterset.data.lists():
        values = [value for value in values if value]
        if name in shown or name not in filterset.filters or not values:
            continue
        rest = filterset.data.copy()
        rest.pop(name)
        rest.pop("page", None)
        query = rest.urlencode()
        chosen.append(
            ChosenFilter(
                name,
                str(filterset.filters[name].label or name),
                tuple(values),
                f"{path}?{query}" if query else path,
            )
        )
    return chosen


@dataclass(frozen=True)
class SortOption:
    label: str | Promise
    # The ordering, built when used: it may depend on the reader's language.
    ordering: Callable[[], list] | None
    #: The API's `ordering` for the same order ("" for the API's own order).
    api: str = ""


class FacetedListView(FilterView):
    """A list page: the shared FilterSet, facets with counts, sorting, a map.

    Every state is a plain URL (`?theme=…&sort=…&page=…`). A request from htmx
    gets only the browsing part of the page, so filters update without a reload.
    """

    paginate_by = 20
    template_name_partial = "includes/browse.html"
    # A card's details line, the template included in each result card.
    card_meta_template: ClassVar[str] = ""
    title_field: ClassVar[str] = "title"
    summary_field: ClassVar[str | None] = "summary"
    show_map: ClassVar[bool] = False
    # Cards with a picture (or an icon in its place): see get_card_prefetches.
    card_pictures: ClassVar[bool] = False
    sort_options: ClassVar[dict[str, SortOption]] = {}
    default_sort: ClassVar[str] = ""
    relevance = SortOption(_("Best match"), None)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # Always bound, so that facets are counted on the unfiltered list too.
        kwargs["data"] = self.request.GET
        return kwargs

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return [self.template_name_partial]
        return super().get_template_names()

    def searching(self) -> bool:
        return bool(self.filterset.form.cleaned_data.get("search"))

    def available_sorts(self) -> dict[str, SortOption]:
        if self.filterset.is_valid() and self.searching():
            return {"relevance": self.relevance, **self.sort_options}
        return self.sort_options

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.errors = []
        # A facet's values shown in full or searched (`?facet=region&facet_q=…`).
        self.expanded_facet = request.GET.get("facet", "")
        if self.expanded_facet not in self.filterset.facets:
            self.expanded_facet = None
        self.facet_query = request.GET.get("facet_q", "").strip()[:FACET_QUERY_LENGTH]
        htmx = getattr(request, "htmx", None)
        if htmx and self.expanded_facet and htmx.target == self.facet_target():
            # A facet's search as the reader types: only its options.
            response = self.render_facet_options()
            patch_vary_headers(response, ["HX-Request", "HX-Target"])
            return response
        if self.filterset.is_valid():
            queryset = self.filterset.qs
        else:
            queryset = self.filterset.queryset.none()
            self.errors = [
                (self.filterset.filters[name].label, message)
                for name, messages in self.filterset.errors.items()
                for message in messages
            ]
        sorts = self.available_sorts()
        self.sort = request.GET.get("sort") or next(iter(sorts), "")
        if self.sort not in sorts:
            self.errors.append((_("Sort"), _("This is not a way to sort this list.")))
            self.sort = next(iter(sorts), "")
        ordering = sorts[self.sort].ordering if self.sort else None
        if ordering is not None:
            queryset = queryset.order_by(*ordering())
        self.object_list = queryset
        context = self.get_context_data(
            filter=self.filterset, object_list=self.object_list
        )
        response = self.render_to_response(context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def facet_target(self) -> str:
        return f"facet-{self.expanded_facet}-options"

    def get_facets(self) -> list[Facet]:
        return facets_of(
            self.filterset,
            expand=self.expanded_facet,
            query=self.facet_query,
            path=self.request.path,
        )

    def render_facet_options(self):
        facet = next(
            facet for facet in self.get_facets() if facet.name == self.expanded_facet
        )
        return self.response_class(
            request=self.request,
            template="includes/facet_options.html",
            context={"facet": facet, "swap_status": True},
            using=self.template_engine,
        )

    def get_card_fields(self) -> list[str]:
        """What the cards show of a record, for `only()` (core.languages.named_by):
        a page of records read whole, every text in every language, costs half
        as much again. Empty: the records are read whole (the feeds and exports,
        which share the queryset, still are)."""
        return []

    def get_card_prefetches(self) -> list:
        """What the cards of one page read besides the rows (their pictures):
        fetched for that page only."""
        return []

    def paginate_queryset(self, queryset, page_size):
        queryset = reading_only(queryset, self.get_card_fields())
        # A page number out of range shows the nearest page, never an error.
        paginator = self.get_paginator(queryset, page_size)
        count = self.filterset.count()
        if count is not None:
            # Kept with the facet counts (FacetedFilterSet.counted): the
            # selection is not counted a second time.
            paginator.count = count
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        prefetches = self.get_card_prefetches()
        if prefetches:
            page.object_list = list(page.object_list)
            prefetch_related_objects(page.object_list, *prefetches)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_markers_url(self) -> str | None:
        """Where the map finds its markers: the API's, with this list's filters
        (search.maps); None when the filters could not be applied."""
        if not self.filterset.is_valid():
            return None
        params = selection_params(self.filterset_class, self.request.GET)
        return markers_url(
            [self.object_list.model._meta.model_name],
            # The map asks for the area in view itself.
            [(name, value) for name, value in params if name != "bbox"],
            get_language(),
        )

    def get_compare_url(self) -> str | None:
        """The page comparing this list's records side by side, if there is one:
        by name, `<app>:<model>-compare` (regions:region-compare…)."""
        meta = self.object_list.model._meta
        try:
            return reverse(f"{meta.app_label}:{meta.model_name}-compare")
        except NoReverseMatch:
            return None

    def get_export_links(self) -> ExportLinks | None:
        """The selection as CSV, GeoJSON, in the API and as a feed; None when the
        filters could not be applied (there is no selection to take away).

        The API's list is `api:<model>-list`, the feed `<app>:<model>-feed`.
        """
        if not self.filterset.is_valid():
            return None
        meta = self.object_list.model._meta
        try:
            feed_path = reverse(f"{meta.app_label}:{meta.model_name}-feed")
        except NoReverseMatch:
            feed_path = None
        return export_links(
            filterset_class=self.filterset_class,
            query=self.request.GET,
            api_path=reverse(f"api:{meta.model_name}-list"),
            feed_path=feed_path,
            ordering=self.available_sorts()[self.sort].api if self.sort else "",
            language=get_language(),
            geojson=self.show_map,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets = self.get_facets()
        other = filters_without_control(self.filterset, self.request.path)
        context.update(
            exports=self.get_export_links(),
            compare_url=self.get_compare_url(),
            compare_min=MIN_RECORDS,
            compare_max=MAX_RECORDS,
            facets=facets,
            other_filters=other,
            filters_chosen=sum(facet.selected_count for facet in facets) + len(other),
            filter_errors=self.errors,
            sort=self.sort,
            sort_options=self.available_sorts(),
            card_meta_template=self.card_meta_template,
            card_pictures=self.card_pictures,
            title_field=self.title_field,
            summary_field=self.summary_field,
            list_path=self.request.path,
            has_filters=any(
                key not in (*PAGE_PARAMETERS, "sort") for key in self.request.GET
            ),
            selection=selection_parameters(self.filterset.data),
        )
        context["show_map"] = self.show_map
        if self.show_map:
            context["markers_url"] = self.get_markers_url()
        return context
