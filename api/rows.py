"""List rows built from `values()`: the list serializers' JSON without model instances.

A map page of 500 potentials spent some 130 ms in DRF's per-field serialization
and in Django's model instantiation (with modeltranslation's descriptor on every
translated field), and under 10 ms in the database. The list shapes hold only
columns, choice labels, addresses and nested summaries, so a `RowPlan` compiled
from the serializer's own fields reads the columns it needs with one `values()`
query, each to-many relation (legacy types, themes, commodities…) with one more
per page, and builds the dicts the serializer would. The serializer stays the one
description of the shape and of the schema: a serializer with a field the plan
does not know (a file, a method field…) is serialized by DRF as before.
`tests/api/test_rows.py` compares the two on every list, in every language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Model, QuerySet
from django.utils import translation
from modeltranslation.fields import NONE
from modeltranslation.utils import (
    fallbacks_enabled,
    resolution_order,
)
from rest_framework import serializers

from api.fields import (
    ChoiceLabelField,
    DetailUrlField,
    FilteredListUrlField,
    SearchHeadlineField,
    SearchRankField,
    TranslationsField,
    choice_labels,
    detail_url_parts,
    list_url,
)
from core.languages import (
    ORIGINAL_LANGUAGE,
    has_original_language,
    is_translated,
    language_codes,
    language_column,
    with_fallback,
)

Row = dict[str, Any]
#: A field's value in a built row, from the row of `values()` it is built from.
Getter = Callable[[Row], Any]
#: Makes a field's getter for one request (its language, its addresses).
GetterFactory = Callable[[dict], Getter]

#: Serializer fields whose `to_representation()` takes the column's value.
_PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
)
#: Model fields whose column `values()` gives as the instance's attribute.
_PLAIN_MODEL_FIELDS = (
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DecimalField,
    models.FloatField,
    models.IntegerField,
    models.TextField,
)
#: Where a request's context keeps the to-many rows fetched for a page.
_FETCHED = "_api_rows_to_many"


def _represents_as_is(field: serializers.Field, model_field: models.Field | None):
    """Whether DRF gives the column's value unchanged (`str()` of a text…)."""
    same = {
        serializers.CharField: (models.CharField, models.TextField),
        serializers.IntegerField: (models.IntegerField,),
        serializers.BooleanField: (models.BooleanField,),
    }
    for kind, columns in same.items():
        if type(field).to_representation is kind.to_representation:
            return isinstance(model_field, columns)
    return False


class Unsupported(Exception):
    """A field the plan cannot build from columns: DRF serializes the list."""


class RowPlan:
    """How to build a serializer's rows from the columns of `model`.

    `prefix` is the path of a nested summary (`region__`); `columns` are the
    `values()` names every row needs; `to_many` the relations fetched per page.
    """

    def __init__(
        self,
        serializer: serializers.Serializer,
        model: type[Model],
        language: str,
        annotations: Iterable[str] = (),
        prefix: str = "",
    ):
        self.model = model
        self.language = language
        self.prefix = prefix
        self.annotations = set(annotations) if not prefix else set()
        self.columns: set[str] = set()
        #: Values computed by the database, by alias.
        self.expressions: dict[str, models.Expression] = {}
        self.to_many: list[ToMany] = []
        self.key = self.column(model._meta.pk.name)
        self.fields: list[tuple[str, GetterFactory]] = [
            (name, self._compile(field))
            for name, field in serializer.fields.items()
            if not field.write_only
        ]

    def column(self, name: str) -> str:
        column = f"{self.prefix}{name}"
        self.columns.add(column)
        return column

    def builder(self, context: dict) -> Callable[[Row], dict]:
        getters = [(name, make(context)) for name, make in self.fields]
        return lambda row: {name: get(row) for name, get in getters}

    # --- One field at a time ----------------------------------------------------------

    def _compile(self, field: serializers.Field) -> GetterFactory:
        if isinstance(field, DetailUrlField):
            return self._detail_url(field)
        if isinstance(field, FilteredListUrlField):
            return self._filtered_list_url(field)
        if isinstance(field, ChoiceLabelField):
            return self._choice_label(field)
        if isinstance(field, TranslationsField):
            return self._translations(field)
        if isinstance(field, SearchRankField):
            return self._annotation("search_rank", float)
        if isinstance(field, SearchHeadlineField):
            return self._annotation("search_headline", None)
        if isinstance(field, serializers.ListSerializer):
            return self._to_many(field)
        if isinstance(field, serializers.BaseSerializer):
            return self._to_one(field)
        if isinstance(field, _PLAIN_FIELDS):
            return self._plain(field)
        raise Unsupported(f"{type(field).__name__} {field.field_name}")

    def _detail_url(self, field: DetailUrlField) -> GetterFactory:
        slug = self.column("slug")

        def factory(context):
            head, tail = detail_url_parts(context["request"], field.view_name)
            return lambda row: f"{head}{row[slug]}{tail}"

        return factory

    def _filtered_list_url(self, field: FilteredListUrlField) -> GetterFactory:
        slug = self.column("slug")

        def factory(context):
            url = list_url(context["request"], field.view_name)
            base = f"{url}?{field.parameter}="
            return lambda row: f"{base}{row[slug]}"

        return factory

    def _choice_label(self, field: ChoiceLabelField) -> GetterFactory:
        code_column = self.column(field.choice_field)
        choices = choice_labels(self.model, field.choice_field)

        def factory(context):
            labels: dict = {}  # Each label translated once per request.

            def label(row):
                code = row[code_column]
                if code is None:
                    return None
                if code not in labels:
                    labels[code] = str(choices.get(code, code))
                return labels[code]

            return label

        return factory

    def _translations(self, field: TranslationsField) -> GetterFactory:
        main = field.main_field
        columns = [language_column(main, code) for code in language_codes()]
        if self.prefix:
            pairs = list(zip(language_codes(), map(self.column, columns), strict=True))
            written = lambda row: [code for code, col in pairs if row[col]]  # noqa: E731
            return lambda context: written
        # One short text instead of a title in every language.
        alias = f"_api_rows_written_{field.main_field}"
        self.expressions[alias] = WrittenLanguages(language_codes(), columns)
        return lambda context: lambda row: row[alias].split()

    def _annotation(self, name: str, convert) -> GetterFactory:
        # Set by search(); without it the fields are null.
        if name not in self.annotations:
            return lambda context: lambda row: None
        column = self.column(name)
        if convert is None:
            return lambda context: lambda row: row[column]
        return lambda context: (
            lambda row: None if row[column] is None else convert(row[column])
        )

    def _plain(self, field: serializers.Field) -> GetterFactory:
        source = field.source
        if source in self.annotations:
            model_field = None
            column = self.column(source)
        else:
            try:
                model_field = self.model._meta.get_field(source)
            except FieldDoesNotExist:
                raise Unsupported(source) from None
            if not isinstance(model_field, _PLAIN_MODEL_FIELDS):
                raise Unsupported(source)
            column = None
        value = self._translated(source) if model_field else None
        if value is None:
            column = column or self.column(model_field.attname)
            value = lambda context: itemgetter(column)  # noqa: E731
        if _represents_as_is(field, model_field):
            return value
        represent = field.to_representation

        def factory(context):
            get = value(context)

            def represented(row):
                item = get(row)
                return None if item is None else represent(item)

            return represented

        return factory

    def _translated(self, name: str) -> GetterFactory | None:
        """A translated field in the active language, falling back as modeltranslation's
        descriptor does; None for a field that is not translated."""
        if not is_translated(self.model, name):
            return None
        descriptor = getattr(self.model, name)
        # Only the columns of the plan's language and those it falls back to.
        order = [
            self.column(language_column(name, code))
            for code in resolution_order(self.language, descriptor.fallback_languages)
            if code in language_codes()
        ]
        if has_original_language(self.model):
            # Then the record's original language (core.languages.reading_order):
            # its text, picked by the database, rather than every language's.
            alias = f"_api_rows_original_{self.prefix}{name}"
            self.expressions[alias] = models.Case(
                *(
                    models.When(
                        **{f"{self.prefix}{ORIGINAL_LANGUAGE}": code},
                        then=models.F(f"{self.prefix}{language_column(name, code)}"),
                    )
                    for code in language_codes()
                    if code not in with_fallback(self.language)
                ),
                default=models.Value(None),
                output_field=models.TextField(),
            )
            order.append(alias)
        default = descriptor.field.get_default()
        undefined = descriptor.fallback_undefined
        if undefined is NONE:
            undefined = default

        def factory(context):
            missing = default
            if fallbacks_enabled() and descriptor.fallback_value is not NONE:
                missing = descriptor.fallback_value

            def value(row):
                for column in order:
                    text = row[column]
                    if text is not None and text != undefined:
                        return text
                return missing

            return value

        return factory

    def _to_one(self, field: serializers.BaseSerializer) -> GetterFactory:
        """A nested summary of a related record (`region`, `category.theme`)."""
        related = self.model
        for attribute in field.source_attrs:
            try:
                model_field = related._meta.get_field(attribute)
            except FieldDoesNotExist:
                raise Unsupported(field.source) from None
            if not model_field.concrete or not (
                model_field.many_to_one or model_field.one_to_one
            ):
                raise Unsupported(field.source)
            related = model_field.related_model
        nested = RowPlan(
            field,
            related,
            self.language,
            prefix=f"{self.prefix}{'__'.join(field.source_attrs)}__",
        )
        if nested.to_many:
            raise Unsupported(field.source)
        self.columns |= nested.columns
        self.expressions |= nested.expressions

        def factory(context):
            # A page names the same few regions, categories and themes again and
            # again: each summary is built once per request.
            build = nested.builder(context)
            summaries: dict = {}

            def summary(row):
                key = row[nested.key]
                if key is None:
                    return None
                if key not in summaries:
                    summaries[key] = build(row)
                return summaries[key]

            return summary

        return factory

    def _to_many(self, field: serializers.ListSerializer) -> GetterFactory:
        if self.prefix or len(field.source_attrs) != 1:
            raise Unsupported(field.source)
        relation = ToMany(self.model, field.source_attrs[0], field.child, self.language)
        self.to_many.append(relation)
        key = self.key

        def factory(context):
            rows = context[_FETCHED][relation]
            return lambda row: rows.get(row[key], [])

        return factory


class WrittenLanguages(models.Func):
    """The codes whose column holds a text, each followed by a space: "en de "."""

    output_field = models.TextField()

    def __init__(self, codes: list[str], columns: list[str]):
        super().__init__(*map(models.F, columns))
        self.codes = codes

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for code, column in zip(self.codes, self.source_expressions, strict=True):
            sql, column_params = compiler.compile(column)
            # A NULL is no text either: `NULL <> ''` is not true.
            parts.append(f"(CASE WHEN {sql} <> '' THEN %s ELSE '' END)")
            params += [*column_params, f"{code} "]
        return " || ".join(parts), params


class OneOf(models.Func):
    """`column IN (keys)`; on PostgreSQL `column = ANY(%s)`, the keys one array.

    A page's hundreds of keys cost Django's `__in` a preparation per value and
    psycopg a placeholder each to parse: some 3 ms of a 500-record page.
    """

    output_field = models.BooleanField()

    def __init__(self, expression, keys: list):
        super().__init__(expression)
        self.keys = list(keys)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.keys:
            return "1 = 0", ()
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", (*params, self.keys)
        placeholders = ", ".join(["%s"] * len(self.keys))
        return f"{column} IN ({placeholders})", (*params, *self.keys)


class ToMany:
    """A to-many relation's nested summaries, fetched for a page in one query.

    In the related model's default order, as the prefetch the serializer reads.
    """

    def __init__(
        self,
        model: type[Model],
        name: str,
        child: serializers.Serializer,
        language: str,
    ):
        field = model._meta.get_field(name)
        if field.many_to_many and field.concrete:
            table = field.remote_field.through
            owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        elif field.many_to_many:
            table = field.through
            owner = field.field.m2m_reverse_field_name()
            target = field.field.m2m_field_name()
        elif field.one_to_many:
            table, owner, target = field.related_model, field.field.name, None
        else:
            raise Unsupported(name)
        related = field.related_model
        prefix = f"{target}__" if target else ""
        self.table, self.owner = table, owner
        self.plan = RowPlan(child, related, language, prefix=prefix)
        if self.plan.to_many:
            raise Unsupported(name)
        self.ordering = [
            f"-{prefix}{item[1:]}" if item.startswith("-") else f"{prefix}{item}"
            for item in related._meta.ordering
        ]

    def fetch(self, context: dict, keys: list) -> dict[Any, list[dict]]:
        build = self.plan.builder(context)
        owner = "_api_rows_owner"
        values = values_of(
            self.table._default_manager.filter(
                OneOf(models.F(self.owner), keys)
            ).order_by(*self.ordering),
            self.plan,
            **{owner: models.F(self.owner)},
        )
        rows: dict[Any, list[dict]] = defaultdict(list)
        summaries: dict = {}  # Each related record's summary built once.
        for row in values:
            key = row[self.plan.key]
            if key not in summaries:
                summaries[key] = build(row)
            rows[row[owner]].append(summaries[key])
        return rows


_plans: dict[tuple, RowPlan | None] = {}


def plan_for(
    serializer_class: type[serializers.Serializer], queryset: QuerySet
) -> RowPlan | None:
    """The plan of a list serializer over `queryset`; None if DRF must serialize."""
    annotations = tuple(sorted(queryset.query.annotations))
    language = translation.get_language()
    key = (serializer_class, queryset.model, language, annotations)
    if key not in _plans:
        try:
            plan = RowPlan(
                serializer_class(context={}), queryset.model, language, annotations
            )
        except Unsupported:
            plan = None
        _plans[key] = plan
    return _plans[key]


def page_rows(plan: RowPlan, queryset: QuerySet, context: dict) -> list[dict]:
    """The rows of a page (a sliced queryset), in its order."""
    return build_rows(plan, list(values_of(queryset, plan)), context)


def values_of(queryset: QuerySet, plan: RowPlan, **expressions) -> QuerySet:
    """The plan's columns of `queryset`, as `values()` dicts."""
    queryset = queryset.prefetch_related(None)
    if hasattr(queryset, "rewrite"):
        # Only translation columns are named, and the values wanted are the
        # columns': modeltranslation's own values() would resolve each row again.
        queryset = queryset.rewrite(False)
    return queryset.values(*sorted(plan.columns), **plan.expressions, **expressions)


def build_rows(plan: RowPlan, values: list[Row], context: dict) -> list[dict]:
    """The rows of these values (a page, or a chunk of a streamed export)."""
    keys = [row[plan.key] for row in values]
    context[_FETCHED] = {
        relation: relation.fetch(context, keys) if keys else {}
        for relation in plan.to_many
    }
    build = plan.builder(context)
    return [build(row) for row in values]
