"""Each staff member's work, for the admin's front page: an editor's drafts and
what a moderator sent back to them, and, for moderators, what awaits review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.urls import reverse

from accounts.access import EditorialAccess
from editorial.models import Publishable, Status
from editorial.notifications import users_without_email

#: Rows per list; the rest is a link to the filtered change list.
LIMIT = 15


@dataclass(frozen=True)
class WorkItem:
    title: str
    kind: str
    url: str
    updated_at: datetime
    comment: str = ""


@dataclass
class WorkSection:
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0
    #: The change lists holding all of them, by kind.
    more: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Worklist:
    drafts: WorkSection
    sent_back: WorkSection
    awaiting_review: WorkSection | None
    without_email: list[str]
    #: Whether the user works for an organisation (and so has drafts).
    has_organisation: bool = True

    @property
    def is_empty(self) -> bool:
        return not (
            self.drafts.total
            or self.sent_back.total
            or (self.awaiting_review and self.awaiting_review.total)
        )


def publishable_models() -> list[type[Publishable]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract
    ]


def _section(querysets, order: str, filters: str) -> WorkSection:
    section = WorkSection()
    for queryset in querysets:
        opts = queryset.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        rows = list(queryset.order_by(order, "pk")[:LIMIT])
        count = len(rows) if len(rows) < LIMIT else queryset.count()
        section.total += count
        if count > len(rows):
            url = reverse(f"{name}_changelist") + "?" + filters
            section.more.append((str(opts.verbose_name_plural), url))
        section.items.extend(
            WorkItem(
                title=str(row),
                kind=str(opts.verbose_name),
                url=reverse(f"{name}_change", args=[row.pk]),
                updated_at=row.updated_at,
                comment=row.review_comment,
            )
            for row in rows
        )
    reverse_order = order.startswith("-")
    section.items.sort(key=lambda item: item.updated_at, reverse=reverse_order)
    del section.items[LIMIT:]
    return section


def worklist_for(user) -> Worklist | None:
    """The user's work, or None for someone outside the editorial workflow.

    Drafts and sent-back records are those of the user's own organisations
    (newest first); the review queue, for moderators, is every record in review,
    oldest first. At most LIMIT rows and two queries per kind and list.
    """
    access = EditorialAccess.of(user)
    if not access.is_staff_member:
        return None
    models = publishable_models()
    own = [
        model._default_manager.filter(
            owner_id__in=access.partner_ids, status=Status.DRAFT
        )
        for model in models
    ]
    drafts = _section(
        [queryset.filter(review_comment="") for queryset in own],
        "-updated_at",
        "status__exact=draft",
    )
    sent_back = _section(
        [queryset.exclude(review_comment="") for queryset in own],
        "-updated_at",
        "status__exact=draft",
    )
    awaiting = None
    without_email: list[str] = []
    if access.sees_everything:
        awaiting = _section(
            [
                model._default_manager.filter(status=Status.IN_REVIEW)
                for model in models
            ],
            "updated_at",
            "status__exact=in_review",
        )
        without_email = users_without_email()
    return Worklist(
        drafts, sent_back, awaiting, without_email, bool(access.partner_ids)
    )
