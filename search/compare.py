"""Side-by-side comparison of 2 to 4 records of one kind: regions, potentials…

One column a record, one row an attribute, in the same order for every record. A
value that every compared record has (the same country, a legacy type they all
have) is *shared*: the page marks it in words, not by colour alone, and lists
what is shared above the table.

Each kind says what it compares as a list of `Attribute`s (a label and a
function from a record to its values) in its app's `compare.py`, with a subclass
of `CompareView` that reads the records with everything those functions touch, so
the page costs the same few queries for 2 records as for 4.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import slug_re
from django.db import models
from django.http import QueryDict
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from core.languages import fallback_language

MIN_RECORDS = 2
MAX_RECORDS = 4


@dataclass(frozen=True)
class Value:
    """One value of an attribute: its text, and what makes two values the same.

    `key` decides sharing (a country's code, a category's primary key); without
    it the text does. `lang` marks text shown in English for want of a
    translation; `note` is a remark beside it (a legacy's extent, a source).
    """

    text: str
    key: Hashable = None
    url: str = ""
    lang: str | None = None
    note: str = ""
    note_lang: str | None = None

    @property
    def identity(self) -> Hashable:
        return self.text if self.key is None else self.key


Values = Value | Iterable[Value] | None


@dataclass(frozen=True)
class Attribute:
    """A row of the comparison: its label, and a record's values in it.

    `shares=False` for a figure (a population, a count): two equal figures are
    a coincidence, not a trait the records have in common, so none is marked.
    """

    label: str | Promise
    values: Callable[[Any], Values]
    shares: bool = True


# --- Values of the usual kinds -------------------------------------------------------


def named(obj: models.Model | None, field: str = "name", link: bool = True) -> Values:
    """A record by its (translated) name, linked to its page where it has one."""
    if obj is None:
        return None
    url = obj.get_absolute_url() if link and hasattr(obj, "get_absolute_url") else ""
    return Value(
        str(getattr(obj, field)),
        key=(obj._meta.label, obj.pk),
        url=url,
        lang=fallback_language(obj, field),
    )


def choice(obj: models.Model, field: str) -> Values:
    """A choice field's label (a kind, a status), empty when none is chosen."""
    value = getattr(obj, field)
    if not value:
        return None
    return Value(str(getattr(obj, f"get_{field}_display")()), key=value)


def country(code: Any) -> Values:
    """A django-countries value by its name, the same when its code is."""
    if not code:
        return None
    return Value(str(code.name), key=str(code.code))


def number(
    value: int | Decimal | None,
    template: str | Promise = "%(value)s",
    places: int = 2,
    **more: Any,
) -> Values:
    """A figure in the reader's number format, set in `template` (`%(value)s ha`)
    with `more` (a year); the same as another when the figure and `more` are."""
    if value is None:
        return None
    text = floatformat(value, f"-{places}g")
    return Value(
        str(template) % {"value": text, **more},
        key=(Decimal(value), *more.values()),
    )


def month(value) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT")


def day(value) -> str:
    return date_format(value, "DATE_FORMAT")


# --- The table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A value as a cell shows it: shared by every compared record or not."""

    value: Value
    shared: bool


@dataclass(frozen=True)
class Row:
    label: str | Promise
    cells: list[list[Shown]]
    shared: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Card:
    """One record's column, for a screen too narrow for the table."""

    record: Any
    attributes: list[tuple[str | Promise, list[Shown]]]


@dataclass(frozen=True)
class Comparison:
    records: list[Any]
    rows: list[Row]

    @property
    def shared_rows(self) -> list[Row]:
        return [row for row in self.rows if row.shared]

    @property
    def cards(self) -> list[Card]:
        return [
            Card(record, [(row.label, row.cells[index]) for row in self.rows])
            for index, record in enumerate(self.records)
        ]


def _as_list(values: Values) -> list[Value]:
    if values is None:
        return []
    if isinstance(values, Value):
        return [values]
    return [value for value in values if value is not None]


def compare(records: Sequence[Any], attributes: Sequence[Attribute]) -> Comparison:
    """The comparison table: each attribute's values per record, and which of them
    every record has (an empty cell shares nothing)."""
    rows = []
    for attribute in attributes:
        columns = [_as_list(attribute.values(record)) for record in records]
        common = (
            set.intersection(*({value.identity for value in c} for c in columns))
            if attribute.shares
            else set()
        )
        cells = [
            [Shown(value, value.identity in common) for value in column]
            for column in columns
        ]
        shared = [value for value in columns[0] if value.identity in common]
        rows.append(Row(attribute.label, cells, shared))
    return Comparison(list(records), rows)


# --- The page -------------------------------------------------------------------------


def chosen_slugs(query: QueryDict) -> list[str]:
    """The `slug` parameters, in their order, each once."""
    slugs = (slug.strip() for slug in query.getlist("slug"))
    return list(dict.fromkeys(slug for slug in slugs if slug))


class CompareView(TemplateView):
    """The comparison page: `?slug=a&slug=b` (2 to 4), a shareable address.

    A wrong choice (too few, too many, an address nothing public has) answers 400
    with a message that says what to do; a slug that names a draft the reader may
    not see is answered exactly like one that names nothing.
    """

    template_name = "search/compare.html"
    attributes: ClassVar[Sequence[Attribute]] = ()
    title_field: ClassVar[str] = "title"
    heading: ClassVar[str | Promise] = _("Compare")
    # The list where the records are chosen, and its name.
    list_url_name: ClassVar[str] = ""
    list_label: ClassVar[str | Promise] = ""

    def get_queryset(self) -> models.QuerySet:
        """The records the reader may see, with what `attributes` read of them."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        slugs = chosen_slugs(request.GET)
        errors: list[str] = []
        records: list[Any] = []
        count = len(slugs)
        if count < MIN_RECORDS:
            errors.append(
                ngettext(
                    "A comparison needs at least %(min)d and at most %(max)d. "
                    "You chose %(count)d.",
                    "A comparison needs at least %(min)d and at most %(max)d. "
                    "You chose %(count)d.",
                    count,
                )
                % {"min": MIN_RECORDS, "max": MAX_RECORDS, "count": count}
            )
        elif count > MAX_RECORDS:
            errors.append(
                ngettext(
                    "A comparison shows at most %(max)d side by side. "
                    "You chose %(count)d: leave some out.",
                    "A comparison shows at most %(max)d side by side. "
                    "You chose %(count)d: leave some out.",
                    count,
                )
                % {"max": MAX_RECORDS, "count": count}
            )
        else:
            found = {
                obj.slug: obj
                for obj in self.get_queryset().filter(
                    # Only what can be a slug is looked up: PostgreSQL refuses a
                    # NUL, and nothing else can name a record.
                    slug__in=[slug for slug in slugs if slug_re.fullmatch(slug)]
                )
            }
            missing = [slug for slug in slugs if slug not in found]
            if missing:
                errors.append(
                    ngettext(
                        "Nothing published has this address: %(slugs)s.",
                        "Nothing published has these addresses: %(slugs)s.",
                        len(missing),
                    )
                    % {"slugs": ", ".join(f"“{slug}”" for slug in missing)}
                )
            records = [found[slug] for slug in slugs if slug in found]
        comparison = (
            compare(records, self.attributes) if len(records) >= MIN_RECORDS else None
        )
        context = self.get_context_data(comparison=comparison, errors=errors, **kwargs)
        return self.render_to_response(context, status=400 if errors else 200)

    def removal_url(self, record: Any, records: Sequence[Any]) -> str:
        """This comparison without `record`."""
        query = QueryDict(mutable=True)
        query.setlist("slug", [other.slug for other in records if other != record])
        return f"{self.request.path}?{query.urlencode()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = kwargs.get("comparison")
        columns = []
        if comparison:
            # Leaving one out is offered while at least two would remain.
            removable = len(comparison.records) > MIN_RECORDS
            columns = [
                (
                    card,
                    self.removal_url(card.record, comparison.records)
                    if removable
                    else "",
                )
                for card in comparison.cards
            ]
        context.update(
            heading=self.heading,
            title_field=self.title_field,
            list_url=self.list_url(),
            list_label=self.list_label,
            columns=columns,
            min_records=MIN_RECORDS,
            max_records=MAX_RECORDS,
        )
        return context

    def list_url(self) -> str:
        return reverse(self.list_url_name)
