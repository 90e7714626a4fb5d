"""Which records a map may show, and how a request filters them (`/map-markers/`).

Each kind of record is filtered by its list's FilterSet, the one its page and its
API list use, over its public records only, whoever asks: a map's answer is the
same for every client, so it is always cached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from goodpractices.filters import GoodPracticeFilter
from goodpractices.models import GoodPractice
from potentials.filters import PotentialFilter
from potentials.models import Potential
from regions.filters import RegionFilter
from regions.models import Region
from search.filters import FilterSet
from search.maps import MarkerSource


@dataclass(frozen=True)
class MarkerKind:
    filterset_class: type[FilterSet]
    public: Callable[[], QuerySet]
    title_field: str = "title"


#: By model name, the `kind` of each point.
MARKER_KINDS: dict[str, MarkerKind] = {
    "potential": MarkerKind(PotentialFilter, lambda: Potential.objects.published()),
    "goodpractice": MarkerKind(
        GoodPracticeFilter, lambda: GoodPractice.objects.published()
    ),
    "region": MarkerKind(RegionFilter, lambda: Region.objects.all(), "name"),
}

#: Read by the endpoint itself, not by a FilterSet: the area is the grid's.
OWN_PARAMETERS = frozenset({"records", "bbox", "zoom", "lang", "format"})


def filter_names() -> dict[str, list[str]]:
    """Each filter some kind of record has, with the kinds that have it."""
    names: dict[str, list[str]] = {}
    for kind, marker_kind in MARKER_KINDS.items():
        for name in marker_kind.filterset_class.base_filters:
            if name not in OWN_PARAMETERS:
                names.setdefault(name, []).append(kind)
    return names


def marker_sources(kinds: Sequence[str], params: QueryDict) -> list[MarkerSource]:
    """The public records of `kinds` that the filters in `params` choose.

    With several kinds, a filter applies to each: one that some of them lack
    is refused rather than applied to the others only. Parameters that no
    kind knows are ignored, as the API's lists ignore them.
    """
    data = params.copy()
    for name in OWN_PARAMETERS:
        data.pop(name, None)
    errors: dict[str, list[str]] = {}
    for name, having in filter_names().items():
        values = [value for value in data.getlist(name) if value.strip()]
        lacking = [kind for kind in kinds if kind not in having]
        if values and lacking:
            errors[name] = [
                _("This filter does not apply to: %(kinds)s.")
                % {"kinds": ", ".join(lacking)}
            ]
    sources = []
    for kind in kinds:
        marker_kind = MARKER_KINDS[kind]
        filterset = marker_kind.filterset_class(
            data=data, queryset=marker_kind.public()
        )
        if not filterset.is_valid():
            for name, messages in filterset.errors.items():
                errors.setdefault(name, [str(message) for message in messages])
            continue
        sources.append(MarkerSource(filterset.qs, marker_kind.title_field))
    if errors:
        raise ValidationError(errors)
    return sources
