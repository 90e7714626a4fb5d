"""The content's state: how many records of each kind there are, where, in which
languages, and which lack a place or a source (`manage.py content_state`).

Every figure comes from aggregates: one query per kind of record and one for the
regions' table, however many records there are. The languages and the translated
fields come from `core.languages`, so a language added to the settings (or a field
to a `translation.py`) shows here without a change.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.languages import language_codes, language_column, translated_fields
from core.models import Link
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Partner, PolicyInstrument, Project, Publication, Region

# Slugs listed per gap in the text output; the JSON lists them all.
TEXT_LIST_LIMIT = 12
TEXT_WIDTH = 88
# A text that holds at least one character other than white space.
HAS_TEXT = r"\S"


@dataclass(frozen=True)
class Kind:
    """A kind of record the state counts."""

    key: str
    model: type[models.Model]
    label: str
    editorial: bool = False
    located: bool = False
    in_regions: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        """The translated fields, in the model's order (the title or name first)."""
        translated = set(translated_fields(self.model))
        return tuple(
            field.name
            for field in self.model._meta.concrete_fields
            if field.name in translated
        )

    @property
    def title_field(self) -> str:
        """The translated field that names a record: its title or name."""
        return "title" if "title" in self.fields else "name"


KINDS: tuple[Kind, ...] = (
    Kind(
        "potentials",
        Potential,
        _("Potentials"),
        editorial=True,
        located=True,
        in_regions=True,
    ),
    Kind(
        "good_practices",
        GoodPractice,
        _("Good practices"),
        editorial=True,
        located=True,
        in_regions=True,
    ),
    Kind("regions", Region, _("Regions"), located=True),
    Kind("partners", Partner, _("Partners")),
    Kind("projects", Project, _("Projects")),
    Kind("publications", Publication, _("Publications")),
    Kind("policy_instruments", PolicyInstrument, _("Policy instruments")),
)
KIND_KEYS: tuple[str, ...] = tuple(kind.key for kind in KINDS)


def _has_text(column: str) -> Q:
    return Q(**{f"{column}__regex": HAS_TEXT})


def _slugs(condition: Q | Exists) -> ArrayAgg:
    return ArrayAgg("slug", filter=condition, order_by="slug", default=[])


def _source_links(model: type[models.Model]) -> Exists:
    """A link of kind "source" on the record (named by content type, not by id, so
    that no query for the content type runs first)."""
    options = model._meta
    return Exists(
        Link.objects.filter(
            content_type__app_label=options.app_label,
            content_type__model=options.model_name,
            object_id=OuterRef("pk"),
            kind=Link.Kind.SOURCE,
        )
    )


def _gap(slugs: list[str]) -> dict:
    return {"count": len(slugs), "records": slugs}


def _share(filled: int, total: int) -> float | None:
    return round(filled / total, 4) if total else None


def kind_state(kind: Kind) -> dict:
    """The figures of one kind of record, in one query."""
    fields = kind.fields
    languages = language_codes()
    aggregates: dict[str, models.Aggregate] = {
        "total": Count("pk"),
        "without_source": _slugs(~Exists(_source_links(kind.model))),
    }
    if kind.editorial:
        aggregates |= {
            f"status_{status}": Count("pk", filter=Q(status=status))
            for status in Status.values
        }
    if kind.located:
        aggregates["without_place"] = _slugs(
            Q(latitude__isnull=True) | Q(longitude__isnull=True)
        )
    if kind.in_regions:
        aggregates["without_region"] = _slugs(Q(region__isnull=True))
        aggregates["without_region_published"] = Count(
            "pk", filter=Q(region__isnull=True, status=Status.PUBLISHED)
        )
    if kind.model is Region:
        aggregates["population_without_source"] = _slugs(
            Q(population__isnull=False) & Q(population_source_url="")
        )
        aggregates["area_without_source"] = _slugs(
            Q(area_km2__isnull=False) & Q(area_source_url="")
        )
    for language in languages:
        for field in fields:
            column = language_column(field, language)
            aggregates[f"filled_{column}"] = Count("pk", filter=_has_text(column))

    figures = kind.model._base_manager.aggregate(**aggregates)
    total = figures["total"]
    state: dict = {"total": total}
    if kind.editorial:
        state["status"] = {
            status: figures[f"status_{status}"] for status in Status.values
        }
    if kind.located:
        state["without_place"] = _gap(figures["without_place"])
    state["without_source"] = _gap(figures["without_source"])
    if kind.in_regions:
        state["without_region"] = {
            **_gap(figures["without_region"]),
            "published": figures["without_region_published"],
        }
    if kind.model is Region:
        state["population_without_source"] = _gap(figures["population_without_source"])
        state["area_without_source"] = _gap(figures["area_without_source"])
    state["title_field"] = kind.title_field
    state["languages"] = {}
    for language in languages:
        filled = {
            field: figures[f"filled_{language_column(field, language)}"]
            for field in fields
        }
        state["languages"][language] = {
            "titled": filled[kind.title_field],
            "fields": {
                field: {"filled": count, "share": _share(count, total)}
                for field, count in filled.items()
            },
        }
    return state


def _count_in_region(model: type[models.Model], **conditions) -> Coalesce:
    counted = (
        model._base_manager.filter(region=OuterRef("pk"), **conditions)
        .order_by()
        .values("region")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def regions_state(kinds: Sequence[Kind]) -> dict:
    """Potentials and good practices per region (all, and published), in one query,
    and the regions that have none of them."""
    annotations = {}
    for kind in kinds:
        annotations[f"{kind.key}_total"] = _count_in_region(kind.model)
        annotations[f"{kind.key}_published"] = _count_in_region(
            kind.model, status=Status.PUBLISHED
        )
    rows = (
        Region._base_manager.annotate(**annotations)
        .order_by("country", "slug")
        .values("slug", "name", "country", *annotations)
    )
    regions = [
        {
            "slug": row["slug"],
            "name": row["name"],
            "country": str(row["country"]),
            **{
                kind.key: {
                    "total": row[f"{kind.key}_total"],
                    "published": row[f"{kind.key}_published"],
                }
                for kind in kinds
            },
        }
        for row in rows
    ]
    return {
        "regions": regions,
        "regions_with_none": [
            region["slug"]
            for region in regions
            if not any(region[kind.key]["total"] for kind in kinds)
        ],
    }


def content_state(kinds: Iterable[str] | None = None) -> dict:
    """The content's state as plain data, with stable keys (for `--format json`).

    `kinds` limits it to some kinds of record (keys of `KIND_KEYS`)."""
    wanted = set(kinds or KIND_KEYS)
    unknown = wanted - set(KIND_KEYS)
    if unknown:
        raise ValueError(f"Unknown kinds of record: {', '.join(sorted(unknown))}")
    chosen = [kind for kind in KINDS if kind.key in wanted]
    state: dict = {
        "languages": language_codes(),
        "kinds": {kind.key: kind_state(kind) for kind in chosen},
    }
    in_regions = [kind for kind in chosen if kind.in_regions]
    if in_regions:
        state["by_region"] = regions_state(in_regions)
        state["by_region"]["without_region"] = {
            kind.key: {
                "total": state["kinds"][kind.key]["without_region"]["count"],
                "published": state["kinds"][kind.key]["without_region"]["published"],
            }
            for kind in in_regions
        }
    return state


# --- Text -------------------------------------------------------------------------

NOT_APPLICABLE = "–"


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """Aligned columns: the first to the left, the others (figures) to the right."""
    cells = [[str(cell) for cell in headers]] + [
        [str(cell) for cell in row] for row in rows
    ]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]

    def line(row: list[str]) -> str:
        first, *rest = row
        return "  ".join(
            [first.ljust(widths[0])]
            + [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        ).rstrip()

    return [
        line(cells[0]),
        line(["-" * width for width in widths]),
        *map(line, cells[1:]),
    ]


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
    )


def _heading(text: str) -> list[str]:
    return ["", text, "=" * len(text)]


def _percent(filled: int, total: int) -> str:
    """Rounded down, so that 100% is every record and 0% is none."""
    if not total:
        return NOT_APPLICABLE
    return f"{filled * 100 // total}%"


def _listing(label: str, gap: dict) -> list[str]:
    if not gap["count"]:
        return []
    shown = ", ".join(gap["records"][:TEXT_LIST_LIMIT])
    more = gap["count"] - TEXT_LIST_LIMIT
    if more > 0:
        shown += " " + gettext("… and %(count)d more") % {"count": more}
    return _wrapped(f"{label} ({gap['count']}): {shown}", indent="  ")


def _kinds_table(state: dict) -> list[str]:
    lines = _heading(gettext("Records per kind"))
    rows = []
    for kind in KINDS:
        figures = state["kinds"].get(kind.key)
        if figures is None:
            continue
        status = figures.get("status")
        place = figures.get("without_place")
        rows.append(
            [
                str(kind.label),
                figures["total"],
                *(
                    [status[value] for value in Status.values]
                    if status
                    else [NOT_APPLICABLE] * len(Status.values)
                ),
                place["count"] if place else NOT_APPLICABLE,
                figures["without_source"]["count"],
            ]
        )
    lines += _table(
        [
            gettext("kind"),
            gettext("records"),
            *(str(label).lower() for label in Status.labels),
            gettext("no place"),
            gettext("no source"),
        ],
        rows,
    )
    regions = state["kinds"].get("regions")
    if regions:
        lines += [
            "",
            gettext("Regions: population without a source address: %(count)d")
            % {"count": regions["population_without_source"]["count"]},
            gettext("Regions: area without a source address: %(count)d")
            % {"count": regions["area_without_source"]["count"]},
        ]
    return lines


def _gaps(state: dict) -> list[str]:
    lines = _heading(gettext("Records without a place or a source"))
    listed = []
    for kind in KINDS:
        figures = state["kinds"].get(kind.key)
        if figures is None:
            continue
        entries = []
        if "without_place" in figures:
            entries += _listing(gettext("no place"), figures["without_place"])
        entries += _listing(gettext("no source"), figures["without_source"])
        if kind.key == "regions":
            entries += _listing(
                gettext("population without a source address"),
                figures["population_without_source"],
            )
            entries += _listing(
                gettext("area without a source address"),
                figures["area_without_source"],
            )
        if entries:
            listed += [f"{kind.label}:", *entries]
    return lines + (listed or [gettext("None.")])


def _published_of_all(counts: dict) -> str:
    return f"{counts['published']} / {counts['total']}"


def _regions_table(state: dict) -> list[str]:
    by_region = state["by_region"]
    kinds = [kind for kind in KINDS if kind.key in by_region["without_region"]]
    lines = _heading(gettext("Potentials and good practices per region"))
    rows = [
        [
            region["name"],
            region["country"],
            *(_published_of_all(region[kind.key]) for kind in kinds),
        ]
        for region in by_region["regions"]
        if any(region[kind.key]["total"] for kind in kinds)
    ]
    rows.append(
        [
            gettext("(no region)"),
            "",
            *(
                _published_of_all(by_region["without_region"][kind.key])
                for kind in kinds
            ),
        ]
    )
    lines += _table(
        [
            gettext("region"),
            gettext("country"),
            *(
                gettext("%(kind)s published / all") % {"kind": str(kind.label).lower()}
                for kind in kinds
            ),
        ],
        rows,
    )
    none = by_region["regions_with_none"]
    lines += [
        "",
        *_wrapped(
            gettext("Regions with none (%(count)d): %(regions)s")
            % {"count": len(none), "regions": ", ".join(none) or NOT_APPLICABLE}
        ),
    ]
    return lines


def _languages_table(state: dict) -> list[str]:
    languages = state["languages"]
    lines = _heading(gettext("Languages"))
    for kind in KINDS:
        figures = state["kinds"].get(kind.key)
        if figures is None:
            continue
        by_language = figures["languages"]
        title_field = figures["title_field"]
        verbose = {
            field: str(kind.model._meta.get_field(field).verbose_name)
            for field in kind.fields
        }
        rows = [
            [
                gettext("records with a %(field)s") % {"field": verbose[title_field]},
                *(by_language[language]["titled"] for language in languages),
            ]
        ]
        rows += [
            [
                verbose[field],
                *(
                    _percent(
                        by_language[language]["fields"][field]["filled"],
                        figures["total"],
                    )
                    for language in languages
                ),
            ]
            for field in verbose
        ]
        lines += [
            "",
            ngettext(
                "%(kind)s (%(count)d record)",
                "%(kind)s (%(count)d records)",
                figures["total"],
            )
            % {"kind": kind.label, "count": figures["total"]},
        ]
        lines += _table(["", *languages], rows)
    return lines


def _legend() -> list[str]:
    entries = [
        (
            gettext("draft, in review, published, archived"),
            gettext(
                "the editorial status of potentials and good practices; only "
                "published records are public."
            ),
        ),
        (
            gettext("no place"),
            gettext("no latitude and longitude (a region: no point on the map)."),
        ),
        (
            gettext("no source"),
            gettext("no link of the kind “source” on the record."),
        ),
        (
            gettext("published / all"),
            gettext(
                "a region's published records, and all of them whatever their "
                "status; (no region): records tied to no one region."
            ),
        ),
        (
            gettext("languages"),
            gettext(
                "the share of all records of the kind, in any status, whose field "
                "has text in that language, rounded down. English is the source "
                "and the fallback: a language below English lacks translations, "
                "English below the whole lacks texts."
            ),
        ),
        (NOT_APPLICABLE, gettext("does not apply.")),
    ]
    lines = _heading(gettext("Legend"))
    for term, meaning in entries:
        lines += _wrapped(f"{term}: {meaning}")
    return lines


def content_state_text(state: dict) -> str:
    """The state as readable text: tables with aligned columns, and a legend."""
    lines = [gettext("The content's state")]
    lines += _kinds_table(state)
    if "by_region" in state:
        lines += _regions_table(state)
    lines += _languages_table(state)
    lines += _gaps(state)
    lines += _legend()
    return "\n".join(lines) + "\n"
