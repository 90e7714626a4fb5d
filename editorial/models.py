"""The editorial life cycle shared by potentials and good practices.

A record is written as a draft, submitted for review, published and, when it no
longer applies, archived. Only published records are public. Who may do what with
a record is decided in `editorial.rules`; the writes are the services of
`editorial.services`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import EditorialAccess
from search.query import SearchQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Transition(models.TextChoices):
    """The moves between statuses (`editorial.services.publishable_transition`)."""

    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Publish")
    SEND_BACK = "send_back", _("Send back")
    ARCHIVE = "archive", _("Archive")
    WITHDRAW = "withdraw", _("Withdraw from review")


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
    # An editor takes a submitted record back to change it (a record in review
    # holds still); moderators send back instead, with a comment.
    Transition.WITHDRAW: (frozenset({Status.IN_REVIEW}), Status.DRAFT),
}
# The editorial state: moved by transitions only, never by an edit or a restore.
EDITORIAL_FIELDS = ("status", "owner", "published_at", "review_comment")
# What an editor may still change; later statuses belong to the moderators.
EDITOR_EDITABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})


class TransitionError(ValidationError):
    """A status change that the record's current status does not allow.

    An API answers it with 400; a missing right is `PermissionDenied` (403).
    """


class PublishableQuerySet(SearchQuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def public(self) -> Self:
        return self.published()

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
        settings.ORGANISATION_MODEL,
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

    #: Fields only a moderator may set: the network's judgement of the record.
    moderated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def moderated_by(self, user) -> None:
        """Called when a moderator changed one of `moderated_fields`."""

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED
