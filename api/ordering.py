from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from core.languages import localised, translated_fields


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=title,-published_at` over the view's `ordering_fields`.

    Unknown fields are a 400 rather than silently ignored. Translated fields sort
    by the text the reader sees: the reader's language, else English. Without
    `ordering` the QuerySet's own order stands (search rank, when searching).
    """

    def get_ordering(self, request, queryset, view) -> list[str]:
        raw = request.query_params.get(self.ordering_param, "")
        terms = [term.strip() for term in raw.split(",") if term.strip()]
        allowed = tuple(getattr(view, "ordering_fields", ()))
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot order by “%(field)s”; choose from: %(fields)s.")
                        % {"field": unknown[0][:50], "fields": ", ".join(allowed)}
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        terms = self.get_ordering(request, queryset, view)
        if not terms:
            return queryset
        translated = set(translated_fields(queryset.model))
        order_by = []
        for term in terms:
            descending = term.startswith("-")
            field = term.removeprefix("-")
            if field in translated:
                alias = f"ordering_{field}"
                queryset = queryset.annotate(**{alias: localised(field)})
                field = alias
            expression = F(field)
            order_by.append(
                expression.desc(nulls_last=True)
                if descending
                else expression.asc(nulls_last=True)
            )
        # A unique last key keeps pages stable.
        return queryset.order_by(*order_by, "pk")

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", ()))
        if not fields:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Sort by these fields, comma-separated; a leading minus sorts "
                    "descending. Without it, results come in their natural order, "
                    "or best match first when searching."
                ),
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [
                            value for field in fields for value in (field, f"-{field}")
                        ],
                    },
                },
            }
        ]
