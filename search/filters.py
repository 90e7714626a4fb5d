"""Filtering shared by the public pages and the API.

Each kind of record has one FilterSet (in its app's `filters.py`), used by the HTML
views and by the API alike. A FilterSet here also knows its facets
(`facets = {"country": "region__country", …}`, keyed by filter name) and counts the
records per facet value for the current filters. Each facet is counted with every
filter but its own applied, so that choosing one country still shows how many records
the other countries have.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import ClassVar

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.generation import kept
from search.facets import (
    facet_counts_statement,
    is_multivalued,
    run_facet_counts,
)


class MatchedOnce:
    """A filter over a to-many relation, where a record can match twice: a
    subquery of the matching keys keeps each once, where DISTINCT would compare
    every column of every row (a potential has some sixty)."""

    def filter(self, qs, value):
        if value and self.distinct and is_multivalued(qs.model, self.field_name):
            return qs.filter(pk__in=_keys_related_to(qs.model, self.field_name, value))
        return super().filter(qs, value)


class SlugsFilter(MatchedOnce, django_filters.ModelMultipleChoiceFilter):
    """Records related to any of the given slugs: `?theme=a&theme=b`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        # The slug only picks the object; filter on the relation itself.
        return {self.field_name: v}

    def filter(self, qs, value):
        # No choice cleans to `queryset.none()`: asking it for its truth would
        # compile a query, on every request that leaves this filter out.
        if isinstance(value, QuerySet) and value.query.is_empty():
            return qs
        return super().filter(qs, value)


class CountryChoiceField(forms.MultipleChoiceField):
    """ISO 3166 codes in either case: `?country=de` is `?country=DE`."""

    def to_python(self, value):
        return [str(item).upper() for item in super().to_python(value)]


class CountryFilter(MatchedOnce, django_filters.MultipleChoiceFilter):
    """Records in any of the given countries (a project's: its partners')."""

    field_class = CountryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("label", _("Country"))
        super().__init__(*args, **kwargs)


class BoundingBoxField(forms.CharField):
    """`west,south,east,north` in WGS 84 degrees, the order map libraries use."""

    default_error_messages = {
        "invalid": _(
            "Give the map area as four numbers: west,south,east,north "
            "(longitude and latitude in degrees)."
        ),
        "range": _(
            "The map area must lie within longitude -180 to 180 and latitude -90 "
            "to 90, with west less than east and south less than north."
        ),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            west, south, east, north = (Decimal(part) for part in value.split(","))
        except (ValueError, InvalidOperation):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        finite = all(part.is_finite() for part in (west, south, east, north))
        if not (finite and -180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValidationError(self.error_messages["range"], code="range")
        return west, south, east, north


class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Map area"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        west, south, east, north = value
        return qs.filter(
            longitude__gte=west,
            longitude__lte=east,
            latitude__gte=south,
            latitude__lte=north,
        )


class SearchFilter(django_filters.CharFilter):
    """Text search through the QuerySet's `search()` (see search.query)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        return qs.search(value) if value else qs


FROM_YEAR = _("From the year")
UP_TO_YEAR = _("Up to the year")


def year_filters(
    field: str,
    min_label: str | Promise = FROM_YEAR,
    max_label: str | Promise = UP_TO_YEAR,
) -> tuple[django_filters.NumberFilter, ...]:
    """`…_min` and `…_max` filters for a year, or the year of a date."""
    return (
        django_filters.NumberFilter(
            field_name=field,
            lookup_expr="gte",
            min_value=1000,
            max_value=9999,
            label=min_label,
        ),
        django_filters.NumberFilter(
            field_name=field,
            lookup_expr="lte",
            min_value=1000,
            max_value=9999,
            label=max_label,
        ),
    )


def _keys_related_to(model: type[Model], path: str, values) -> QuerySet:
    """The keys of `model`'s records related through `path` to any of `values`."""
    try:
        field = model._meta.get_field(path)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.many_to_many and not field.auto_created:
        # A many-to-many field of the model itself: its join table alone answers.
        through = field.remote_field.through
        return through._base_manager.filter(
            **{f"{field.m2m_reverse_field_name()}__in": list(values)}
        ).values(field.m2m_field_name())
    return model._base_manager.filter(**{f"{path}__in": list(values)}).values("pk")


def without_empty_values(data):
    """The query without its empty values: `?country=&theme=` filters nothing, as
    a form's "any" choice does, instead of being refused as an unknown choice."""
    if data is None:
        return None
    if not hasattr(data, "getlist"):
        return {name: value for name, value in data.items() if value not in ("", [])}
    kept = data.copy()
    for name in list(kept):
        values = [value for value in kept.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
        else:
            del kept[name]
    return kept


class FilterSet(django_filters.FilterSet):
    """A FilterSet for which an empty parameter is no filter."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_empty_values(data), *args, **kwargs)


class FacetedFilterSet(FilterSet):
    """A FilterSet that also counts records per value of its facets."""

    facets: ClassVar[dict[str, str]] = {}
    #: A facet with more values than this shows the ones with the most records,
    #: and a search for the others (search.browse.facets_of).
    facet_limit: ClassVar[int] = 10
    search_filter_name: ClassVar[str] = "search"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Multiple-choice filters make the query DISTINCT; over a to-one path no
        # record can match twice, and DISTINCT over wide rows is costly.
        for filter_ in self.filters.values():
            if getattr(filter_, "distinct", False) and not is_multivalued(
                self._meta.model, filter_.field_name
            ):
                filter_.distinct = False

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """Records per value of each facet (values as text), each facet counted
        with every filter but its own: one statement, and none while the same
        selection was counted in the current content version (`counted`)."""
        if not self.is_valid():
            return {name: {} for name in self.facets}
        return self.counted()["facets"]

    def count(self) -> int | None:
        """How many records the selection has (a list's pagination), kept with
        its facet counts; None when the filters could not be applied."""
        if not self.is_valid():
            return None
        return self.counted()["count"]

    _counted: dict | None = None

    def counted(self) -> dict:
        """The selection's facet counts and number of records, kept per content
        version under `selection_key()`: a list page counted since the data last
        changed neither builds nor runs their statements. The version is read
        before counting, so counts are never filed under a newer version than
        the data they count."""
        if self._counted is None:
            digest = hashlib.blake2b(
                self.selection_key().encode(), digest_size=20
            ).hexdigest()
            self._counted = kept(
                f"selection:{digest}", self._count, using=self.queryset.db
            )
        return self._counted

    def selection_key(self) -> str:
        """Everything the counts depend on besides the data, cheap to tell: the
        FilterSet, the records it starts from (the conditions of its QuerySet,
        which say who may see what), the reader's language (a search's words are
        read in it) and the chosen values in one order (`?a=1&a=2` and `?a=2&a=1`
        are one selection). Values are taken as given: two spellings of a value
        are two entries of the same counts."""
        base = self.queryset.query
        chosen = sorted(
            (name, sorted(set(_given(self.data, name))))
            for name in self.filters
            if name in self.data
        )
        return repr(
            (
                type(self).__module__,
                type(self).__qualname__,
                base.model._meta.label,
                str(base.where),
                base.distinct,
                get_language(),
                chosen,
            )
        )

    def _count(self) -> dict:
        values = {
            name: _normalised(value)
            for name, value in self.form.cleaned_data.items()
            if not _unchosen(value)
        }
        common: QuerySet = self.queryset
        own = {}
        for name, value in values.items():
            if name in self.facets:
                own[name] = partial(self.filters[name].filter, value=value)
            else:
                # The search, the map area, years: every facet counts only
                # these records. Facets count the search's results; their
                # ranking does not matter.
                common = self.filters[name].filter(common, value)
        statement, params = facet_counts_statement(common, self.facets, own)
        return {
            "facets": run_facet_counts(statement, params, self.facets, using=common.db),
            "count": self.qs.order_by().count(),
        }


def _given(data, name: str) -> list[str]:
    """The values an address (a QueryDict) or a plain dict gives for `name`."""
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data[name]
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _unchosen(value) -> bool:
    if isinstance(value, QuerySet):
        # A multiple choice of records cleans to `queryset.none()` when none is
        # chosen.
        return value.query.is_empty()
    return value in (None, "", [])


def _normalised(value):
    """Chosen values in one order, so that `?a=1&a=2` and `?a=2&a=1` are counted
    (and cached) as one selection."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return sorted(set(value))
    return value
