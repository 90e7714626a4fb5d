"""The editorial life cycle shared by potentials and good practices.

A record is written as a draft, submitted for review, published and, when it no
longer applies, archived. Only published records are public.

This module is the one place that says who may do what with a record: the
`can_*` predicates for one record and the `visible_to` / `managed_by` /
`editable_by` QuerySet methods for many. The admin, the API and the import all ask
them; the writes themselves are the services in `resource_portal/services.py`.

The rules, in short:

- Anyone sees published records.
- An editor (a `StaffMembership` with role editor) sees all records of their own
  organisations, edits them while they are drafts or in review, never hands them to
  another organisation, and submits drafts for review. Published and archived
  records are the moderators' to change, so that nothing reaches the public unseen.
- A moderator sees and edits every record, changes its owner, publishes, sends
  back with a comment and archives.
- A superuser can do all of that and is the only one who deletes (moderators
  archive instead, so nothing is lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resource_portal.search import SearchQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from regions.models import Partner

    AnyUser = AbstractBaseUser | AnonymousUser


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Transition(models.TextChoices):
    """The moves between statuses; each is a service in resource_portal.services."""

    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Publish")
    SEND_BACK = "send_back", _("Send back")
    ARCHIVE = "archive", _("Archive")


# The statuses each transition starts from, and the one it ends in.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Transition.SUBMIT: (frozenset({Status.DRAFT}), Status.IN_REVIEW),
    Transition.PUBLISH: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}),
        Status.PUBLISHED,
    ),
    Transition.SEND_BACK: (
        frozenset({Status.IN_REVIEW, Status.PUBLISHED}),
        Status.DRAFT,
    ),
    Transition.ARCHIVE: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED}),
        Status.ARCHIVED,
    ),
}
# The editorial state: moved by transitions only, never by an edit or a restore.
EDITORIAL_FIELDS = ("status", "owner", "published_at", "review_comment")
# What an editor may still change; later statuses belong to the moderators.
EDITOR_EDITABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})


class TransitionError(ValidationError):
    """A status change that the record's current status does not allow.

    An API answers it with 400; a missing right is `PermissionDenied` (403).
    """


@dataclass(frozen=True)
class EditorialAccess:
    """What a user may do in the editorial workflow, read once per user object."""

    is_superuser: bool = False
    is_moderator: bool = False
    partner_ids: frozenset[int] = frozenset()

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or self.is_moderator or bool(self.partner_ids)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.is_moderator

    @classmethod
    def of(cls, user: AnyUser | None) -> EditorialAccess:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        cached = getattr(user, "_editorial_access", None)
        if cached is not None:
            return cached
        from accounts.models import Role, StaffMembership

        memberships = list(
            StaffMembership.objects.of_user(user).values_list("partner_id", "role")
        )
        access = cls(
            is_superuser=user.is_superuser,
            is_moderator=any(role == Role.MODERATOR for _p, role in memberships),
            partner_ids=frozenset(partner for partner, _r in memberships),
        )
        # One query per request, not one per record in a change list.
        user._editorial_access = access
        return access


def forget_access(user: AnyUser) -> None:
    """Drop the cached access after the user's memberships changed."""
    user.__dict__.pop("_editorial_access", None)


class PublishableQuerySet(SearchQuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def public(self) -> Self:
        return self.published()

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def in_review(self) -> Self:
        return self.filter(status=Status.IN_REVIEW)

    def owned_by(self, partner: Partner) -> Self:
        return self.filter(owner=partner)

    def visible_to(self, user: AnyUser | None) -> Self:
        """The records `user` may read: the public's plus the ones they manage."""
        access = EditorialAccess.of(user)
        if access.sees_everything:
            return self.all()
        return self.filter(
            Q(status=Status.PUBLISHED) | Q(owner_id__in=access.partner_ids)
        )

    def managed_by(self, user: AnyUser | None) -> Self:
        """The records `user` works on in the admin: their organisations' for an
        editor, all for a moderator, none for anyone else."""
        access = EditorialAccess.of(user)
        if access.sees_everything:
            return self.all()
        return self.filter(owner_id__in=access.partner_ids)

    def editable_by(self, user: AnyUser | None) -> Self:
        """The records `user` may change now (see `can_edit`)."""
        access = EditorialAccess.of(user)
        if access.sees_everything:
            return self.all()
        return self.filter(owner_id__in=access.partner_ids, status__in=EDITOR_EDITABLE)


# --- Rules for one record -------------------------------------------------------
# Each takes the user and the record as it is stored (its status and owner).


def manages(user: AnyUser | None, record: Publishable) -> bool:
    access = EditorialAccess.of(user)
    return access.sees_everything or record.owner_id in access.partner_ids


def can_view(user: AnyUser | None, record: Publishable) -> bool:
    return record.status == Status.PUBLISHED or manages(user, record)


def can_create(user: AnyUser | None) -> bool:
    return EditorialAccess.of(user).is_staff_member


def can_edit(user: AnyUser | None, record: Publishable) -> bool:
    access = EditorialAccess.of(user)
    if access.sees_everything:
        return True
    return record.owner_id in access.partner_ids and record.status in EDITOR_EDITABLE


def can_own(user: AnyUser | None, partner_id: int | None) -> bool:
    """May `user` make the partner `partner_id` the owner of a record?"""
    access = EditorialAccess.of(user)
    return access.sees_everything or partner_id in access.partner_ids


def can_change_owner(user: AnyUser | None, record: Publishable) -> bool:
    return EditorialAccess.of(user).sees_everything


def may_transition(user: AnyUser | None, transition: str) -> bool:
    """Whether the user's role allows `transition` at all, whatever the record."""
    access = EditorialAccess.of(user)
    if transition == Transition.SUBMIT:
        return access.is_staff_member
    return access.sees_everything


def can_transition(user: AnyUser | None, record: Publishable, transition: str) -> bool:
    """The role allows it, the user manages the record, and its status allows it."""
    sources, _target = TRANSITIONS[transition]
    return (
        may_transition(user, transition)
        and manages(user, record)
        and record.status in sources
    )


def can_submit(user: AnyUser | None, record: Publishable) -> bool:
    return can_transition(user, record, Transition.SUBMIT)


def can_publish(user: AnyUser | None, record: Publishable) -> bool:
    return can_transition(user, record, Transition.PUBLISH)


def can_send_back(user: AnyUser | None, record: Publishable) -> bool:
    return can_transition(user, record, Transition.SEND_BACK)


def can_archive(user: AnyUser | None, record: Publishable) -> bool:
    return can_transition(user, record, Transition.ARCHIVE)


def can_delete(user: AnyUser | None, record: Publishable | None = None) -> bool:
    return EditorialAccess.of(user).is_superuser


def can_restore(user: AnyUser | None, record: Publishable) -> bool:
    """Restoring an earlier version is an edit of the record as it is now."""
    return can_edit(user, record)


def transitions_for(user: AnyUser | None, record: Publishable) -> list[Transition]:
    """The transitions `user` can apply to `record` now, for buttons and menus."""
    return [t for t in Transition if can_transition(user, record, t)]


class Publishable(models.Model):
    """Status, ownership and authorship of an editorially managed record."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    owner = models.ForeignKey(
        "regions.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning partner"),
        help_text=_("The organisation whose staff edit this record."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Set each time a moderator publishes the record."),
    )
    review_comment = models.TextField(
        _("moderator's comment"),
        blank=True,
        help_text=_(
            "Why a moderator sent the record back. Cleared when it is submitted "
            "again; every comment stays in the record's history."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED
