"""The kinds of record the site search and the suggestions cover.

Each app that has searchable records registers its kinds from its
`AppConfig.ready()`, so that the search imports none of them:

```python
register_search_kind(SearchKind("region", self.get_model("Region"), …))
```

A kind names its model (declared with `search.fields.searchable`), its labels, the
field that titles a hit, what a hit shows beside it (`select_related`), where it
stands on the results page (`position`) and among suggestions
(`suggest_position`, None for a kind that is not suggested), and the name of its
detail page's URL (`url_name`, reversed with the record's slug), so that a
suggestion links its record without reading it. Only public records
are ever found: `Model.objects.public()`. This module loads no model, so that
an app's `apps.py` can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

_KINDS: dict[str, SearchKind] = {}


@dataclass(frozen=True)
class SearchKind:
    kind: str
    model: type[models.Model]
    label: Any
    label_one: Any
    title_field: str
    position: int
    suggest_position: int | None = None
    select_related: tuple[str, ...] = ()
    url_name: str | None = None

    def queryset(self) -> models.QuerySet:
        """The public records of this kind, with what a hit shows of them."""
        public = self.model._default_manager.public()
        return (
            public.select_related(*self.select_related)
            if self.select_related
            else public
        )

    def url(self, slug: str) -> str | None:
        """The record's page, in the active language."""
        return reverse(self.url_name, kwargs={"slug": slug}) if self.url_name else None


def register_search_kind(kind: SearchKind) -> None:
    _KINDS[kind.kind] = kind


def search_kinds() -> list[SearchKind]:
    """Every kind, in the order of the results page."""
    return sorted(_KINDS.values(), key=lambda kind: kind.position)


def search_kind(name: str) -> SearchKind:
    return _KINDS[name]


def suggestion_kinds() -> list[SearchKind]:
    """The kinds suggested as the reader types, in the order they are offered."""
    return sorted(
        (kind for kind in _KINDS.values() if kind.suggest_position is not None),
        key=lambda kind: kind.suggest_position,
    )
