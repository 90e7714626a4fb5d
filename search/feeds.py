"""Atom feeds of a list page's selection: "follow this list".

A feed takes the list's own filters (`?theme=…&search=…`) and gives the newest
records that match, in the reader's language. Summaries are plain text
(`type="text"`): a summary is text, and a feed reader must not read markup in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.db.models import Model
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from core.generation import last_changed
from search.exports import FEED_LENGTH, selection_params


class TextAtom1Feed(Atom1Feed):
    """Atom with `<summary type="text">` where Django writes `type="html"`."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


@dataclass(frozen=True)
class Selection:
    filterset: FilterSet
    list_url: str
    #: When public data last changed: the `updated` of records without dates.
    changed: datetime

    @property
    def model(self) -> type[Model]:
        return self.filterset._meta.model


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


class SelectionFeed(Feed):
    """The newest records of a list page's selection.

    `list_view` is the list page's view class (a search.browse.FacetedListView):
    its queryset, FilterSet and title and summary fields are the feed's. Records
    with no dates of their own (regions, partners…) come newest added first and
    carry the time public data last changed as their `updated`.
    """

    feed_type = TextAtom1Feed
    author_name = _("ReSource Portal")

    def __init__(self, list_view: Any):
        self.list_view = list_view

    def __call__(self, request, *args, **kwargs):
        # Read once (a query): for the entries without dates and the header.
        request.feed_last_changed = last_changed()
        response = super().__call__(request, *args, **kwargs)
        # A record leaving the selection changes the feed but no entry's date.
        response.headers["Last-Modified"] = http_date(
            request.feed_last_changed.timestamp()
        )
        return response

    def get_object(self, request, *args, **kwargs) -> Selection:
        view = self.list_view()
        view.setup(request, *args, **kwargs)
        filterset = view.filterset_class(
            data=request.GET, queryset=view.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise BadRequest("Some of the filters could not be applied.")
        meta = filterset._meta.model._meta
        list_path = reverse(f"{meta.app_label}:{meta.model_name}-list")
        query = urlencode(selection_params(view.filterset_class, request.GET))
        return Selection(
            filterset,
            f"{list_path}?{query}" if query else list_path,
            getattr(request, "feed_last_changed", None) or last_changed(),
        )

    def title(self, obj: Selection) -> str:
        records = obj.model._meta.verbose_name_plural
        return _("ReSource Portal: %(records)s") % {"records": records}

    def subtitle(self, obj: Selection) -> str:
        return _(
            "The newest records of this list, with its filters and search: "
            "at most %(count)s."
        ) % {"count": FEED_LENGTH}

    def link(self, obj: Selection) -> str:
        return obj.list_url

    def items(self, obj: Selection) -> list[Model]:
        order = ["-pk"]
        if _has_field(obj.model, "published_at"):
            order = ["-published_at", "-pk"]
        records = list(obj.filterset.qs.order_by(*order)[:FEED_LENGTH])
        for record in records:
            record.feed_changed = obj.changed
        return records

    def item_title(self, item: Model) -> str:
        return getattr(item, self.list_view.title_field)

    def item_description(self, item: Model) -> str:
        field = self.list_view.summary_field
        return (getattr(item, field) or "") if field else ""

    def item_pubdate(self, item: Model) -> datetime | None:
        return getattr(item, "published_at", None)

    def item_updateddate(self, item: Model) -> datetime:
        return getattr(item, "updated_at", None) or item.feed_changed
