"""Database pieces shared by the apps: expressions, reusable constraints, places."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Func, Q, Subquery
from django.utils.translation import gettext_lazy as _


class CurrentYear(models.Func):
    """The calendar year at the moment the database evaluates the expression."""

    output_field = models.IntegerField()
    template = "CAST(EXTRACT(YEAR FROM CURRENT_DATE) AS integer)"


def year_not_in_future(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__lte": CurrentYear()}),
        name=f"%(app_label)s_%(class)s_{field}_not_in_future",
        violation_error_message=_("The year cannot be in the future."),
    )


def end_not_before_start(start: str, end: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=f"%(app_label)s_%(class)s_{end}_not_before_{start}",
        violation_error_message=_("The end date cannot be before the start date."),
    )


def location_index() -> models.Index:
    """For the map's bounding box (`?bbox=`): a range of latitudes, then longitudes."""
    return models.Index(fields=["latitude", "longitude"], name="%(class)s_location")


def coordinate_constraints() -> list[models.CheckConstraint]:
    """Latitude and longitude in range, and given together or not at all."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name="%(app_label)s_%(class)s_latitude_range",
            violation_error_message=_("Latitude must be between -90 and 90 degrees."),
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True)
            | Q(longitude__gte=-180, longitude__lte=180),
            name="%(app_label)s_%(class)s_longitude_range",
            violation_error_message=_(
                "Longitude must be between -180 and 180 degrees."
            ),
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name="%(app_label)s_%(class)s_coordinates_together",
            violation_error_message=_("Give both latitude and longitude, or neither."),
        ),
    ]


class Located(models.Model):
    """A point on the map, in WGS 84 degrees."""

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def related_records(model: type[models.Model], name: str) -> models.Manager:
    """The default manager of the records that point at `model` as `name`.

    A page of a lower app (a region) lists records of a higher one (its
    potentials) through the relation the higher app declared, by its
    `related_name`, without importing it: the apps depend on each other one way.
    """
    return model._meta.get_field(name).related_model._default_manager


#: How many related records a detail page lists: the rest are a link away, on the
#: list page filtered to the record, so no page grows with the data.
RELATED_PAGE_SIZE = 10


@dataclass(frozen=True)
class FirstRecords:
    """The first records of a relation and how many it holds."""

    records: list
    total: int

    def __iter__(self):
        return iter(self.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    @property
    def more(self) -> bool:
        return self.total > len(self.records)


def count_beside(queryset: models.QuerySet) -> Subquery:
    """How many records `queryset` holds, as a scalar subquery to annotate other
    rows with: a count beside a page of them, never a window over every row.
    `queryset` must not be distinct() (the count would count duplicates)."""
    return Subquery(
        queryset.order_by()
        .annotate(records_total=Func("pk", function="COUNT"))
        .values("records_total")
    )


def first_records(
    queryset: models.QuerySet,
    limit: int = RELATED_PAGE_SIZE,
    *,
    shown_by: Callable[[Any], Any] | None = None,
) -> FirstRecords:
    """The first `limit` records of `queryset` and their total, in one query.

    The total is a count in a scalar subquery, not a window over the rows (a
    window reads every row before the limit cuts them), so the rows read are a
    page's when an index serves the queryset's order. An order no index can
    serve (a reader-order title over a many-to-many relation) is given as
    `shown_by`: the queryset then picks its records in an indexed order (say,
    the latest linked first) and they are shown sorted by this key.
    `queryset` must not be distinct() (the count would count duplicates)."""
    rows = list(queryset.annotate(first_records_total=count_beside(queryset))[:limit])
    if shown_by is not None:
        rows.sort(key=shown_by)
    return FirstRecords(rows, rows[0].first_records_total if rows else 0)


def latest_records(
    queryset: models.QuerySet,
    limit: int = RELATED_PAGE_SIZE,
    *,
    shown_by: Callable[[Any], Any],
) -> list:
    """The `limit` records of `queryset` added last (the highest keys, read from
    an index on the relation that ends with the key: a page of it, however many
    records there are), shown sorted by `shown_by`. For a page's few related
    records when no index serves the order they are shown in."""
    rows = list(queryset.order_by("-pk")[:limit])
    rows.sort(key=shown_by)
    return rows
