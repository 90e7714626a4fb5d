"""Writes to editorial records (potentials, good practices), for every way in.

The admin, the API and the file import call these and nothing else to create,
change, move through the life cycle, delete or restore a record. Each checks the
rules in `editorial.rules`, validates with `full_clean()`, runs in one
transaction and leaves a revision in the history naming the user.

Errors: `PermissionDenied` when the user may not do it (HTTP 403),
`TransitionError` when the record's status does not allow it and `ValidationError`
for invalid content (both HTTP 400). Nothing is written when one is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version

from accounts.access import EditorialAccess
from core.languages import translated_columns
from editorial.history import history_baseline
from editorial.models import (
    EDITORIAL_FIELDS,
    TRANSITIONS,
    Publishable,
    Status,
    Transition,
    TransitionError,
)
from editorial.notifications import editor_ids_of, transition_notify
from editorial.rules import (
    can_change_owner,
    can_create,
    can_delete,
    can_edit,
    can_own,
    can_restore,
    frozen_for_review,
    manages,
    may_moderate,
    may_transition,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

R = TypeVar("R", bound=Publishable)


@contextmanager
def _revision(*, by: AbstractBaseUser, comment: str) -> Iterator[None]:
    # Joins the caller's revision when one is open (the admin opens one per form,
    # so inlines and many-to-many choices land in the same version), and leaves
    # the adding to a caller that manages it by hand (the file import adds each
    # record once, after its many-to-many cells). Every service is atomic
    # already: a savepoint of its own would cost two statements per record.
    manual = reversion.is_active() and reversion.is_manage_manually()
    with reversion.create_revision(manage_manually=manual, atomic=False):
        if by is not None and by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(comment)
        yield


def _stored(record: R) -> R:
    """The record as the database holds it, locked until the transaction ends."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def moderated_columns(model: type[Publishable]) -> list[str]:
    """The fields only a moderator sets (a network validation), and their
    columns per language."""
    fields = model.moderated_fields
    return [
        *fields,
        *(
            column
            for column in translated_columns(model)
            if column.rsplit("_", 1)[0] in fields
        ),
    ]


def _check_moderated_fields(
    record: Publishable, stored: Publishable | None, by: AbstractBaseUser
) -> None:
    """Only a moderator changes the moderated fields; the record notes who did."""
    columns = moderated_columns(type(record))
    if not columns:
        return
    # A blank record, made only when there is something to compare with it.
    default = type(record)() if stored is None else stored
    changed = [
        column
        for column in columns
        if getattr(record, column) != getattr(default, column)
    ]
    if not changed:
        return
    if not may_moderate(by):
        raise PermissionDenied(_("Only a moderator can validate a record."))
    record.moderated_by(by)


def _refuse_in_review(stored: Publishable) -> None:
    if frozen_for_review(stored):
        raise TransitionError(
            _(
                "This record is in review, so nobody changes it: publishing "
                "releases exactly what the moderator read. To change it, a "
                "moderator sends it back to draft first, or its editor withdraws "
                "it from review."
            )
        )


def _apply_m2m(record: Publishable, m2m: Mapping[str, Iterable] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)


@transaction.atomic
def publishable_create(
    *,
    record: R,
    by: AbstractBaseUser,
    m2m: Mapping[str, Iterable] | None = None,
) -> R:
    """Save a new record as a draft owned by one of the user's organisations.

    An editor of a single organisation may leave the owner empty: it becomes that
    organisation. `m2m` sets many-to-many fields ({"legacy_types": [...]}) in the
    same revision.
    """
    if not can_create(by):
        raise PermissionDenied(_("You are not allowed to create records."))
    access = EditorialAccess.of(by)
    if record.owner_id is None and len(access.partner_ids) == 1:
        record.owner_id = next(iter(access.partner_ids))
    if record.owner_id is not None and not can_own(by, record.owner_id):
        raise PermissionDenied(
            _("You can only create records for your own organisation.")
        )
    if record.status != Status.DRAFT:
        raise TransitionError(
            _("A new record starts as a draft; publish it once it is saved.")
        )
    record.published_at = None
    record.created_by = record.updated_by = by
    _check_moderated_fields(record, None, by)
    record.full_clean()
    with _revision(by=by, comment=_("Created.")):
        record.save()
        _apply_m2m(record, m2m)
    return record


@transaction.atomic
def publishable_update(
    *,
    record: R,
    by: AbstractBaseUser,
    m2m: Mapping[str, Iterable] | None = None,
) -> R:
    """Save the changed content of `record`.

    The owner changes only for a moderator; the status, the publication date and
    the moderator's comment only through the transitions below. A record in
    review is not changed at all (`TransitionError`) until it is sent back.
    """
    stored = _stored(record)
    if not can_edit(by, stored):
        raise PermissionDenied(_("You may not change this record."))
    _refuse_in_review(stored)
    if record.owner_id != stored.owner_id and not can_change_owner(by, stored):
        raise PermissionDenied(
            _("Only a moderator can hand a record to another organisation.")
        )
    if record.status != stored.status:
        raise TransitionError(
            _(
                "The status changes only by submitting, publishing, sending back "
                "or archiving."
            )
        )
    record.published_at = stored.published_at
    record.review_comment = stored.review_comment
    record.created_at, record.created_by_id = stored.created_at, stored.created_by_id
    record.updated_by = by
    _check_moderated_fields(record, stored, by)
    record.full_clean()
    history_baseline(stored)
    with _revision(by=by, comment=_("Changed.")):
        record.save()
        _apply_m2m(record, m2m)
    return record


@transaction.atomic
def publishable_transition(
    *, record: R, by: AbstractBaseUser, transition: str, comment: str = ""
) -> R:
    """Move `record` through the life cycle (`Transition`): submit (draft → in
    review), publish (draft, in review or archived → published, stamping
    `published_at`), send back (in review or published → draft, with the
    moderator's `comment` for the editor; it is required), withdraw (an editor's
    own record in review → draft, to change it) or archive (draft, in review or
    published → archived: out of public view, kept).
    """
    if transition not in Transition.values:
        raise ValueError(f"Unknown transition {transition!r}")
    comment = comment.strip()
    if transition == Transition.SEND_BACK and not comment:
        raise ValidationError(
            {"comment": _("Say what the editor should change before resubmitting.")}
        )
    stored = _stored(record)
    if not (may_transition(by, transition) and manages(by, stored)):
        raise PermissionDenied(
            _("You are not allowed to do “%(action)s” with this record.")
            % {"action": Transition(transition).label}
        )
    sources, target = TRANSITIONS[transition]
    if stored.status not in sources:
        raise TransitionError(
            _("“%(action)s” is not possible for a record with the status “%(status)s”.")
            % {
                "action": Transition(transition).label,
                "status": stored.get_status_display(),
            }
        )
    history_baseline(stored)
    editor_ids = editor_ids_of(stored)
    stored.status = target
    if target == Status.PUBLISHED:
        stored.published_at = timezone.now()
    if transition == Transition.SEND_BACK:
        stored.review_comment = comment
    elif transition == Transition.SUBMIT:
        stored.review_comment = ""
    stored.updated_by = by
    stored.full_clean()
    label = str(Transition(transition).label)
    with _revision(by=by, comment=f"{label}: {comment}" if comment else label):
        stored.save()
    # The one place every way in (admin, API, import) tells whom it concerns.
    transaction.on_commit(
        lambda: transition_notify(
            record=stored,
            transition=transition,
            by=by,
            comment=comment,
            editor_ids=editor_ids,
        )
    )
    # The caller's object shows the new state too.
    for name in (
        "status",
        "published_at",
        "review_comment",
        "updated_by",
        "updated_at",
    ):
        setattr(record, name, getattr(stored, name))
    return record


@transaction.atomic
def publishable_delete(*, record: Publishable, by: AbstractBaseUser) -> None:
    """Delete a record (superusers only); its last state stays in the history,
    from where it can be recovered."""
    if not can_delete(by, record):
        raise PermissionDenied(
            _("Only an administrator deletes records; moderators archive them.")
        )
    stored = _stored(record)
    with _revision(by=by, comment=_("Deleted.")):
        reversion.add_to_revision(stored)
    stored.delete()


@transaction.atomic
def publishable_restore(*, record: R, version: Version, by: AbstractBaseUser) -> R:
    """Bring back the content of an earlier version of `record`.

    Every language, the many-to-many choices and the followed rows (actors, images,
    links) return to that version; the editorial state (status, owner, publication
    date, comment) stays as it is now, since only transitions move it.
    """
    stored = _stored(record)
    if not can_restore(by, stored):
        raise PermissionDenied(_("You may not change this record."))
    _refuse_in_review(stored)
    if version.content_type.model_class() is not type(
        record
    ) or version.object_id != str(record.pk):
        raise ValidationError(_("This version belongs to another record."))
    kept = {name: getattr(stored, name) for name in EDITORIAL_FIELDS}
    kept.update(created_at=stored.created_at, created_by=stored.created_by)
    history_baseline(stored)
    when = date_format(
        timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
    )
    try:
        with _revision(
            by=by, comment=_("Restored the version of %(date)s.") % {"date": when}
        ):
            version.revision.revert(delete=True)
            restored = type(record)._default_manager.get(pk=record.pk)
            for name, value in kept.items():
                setattr(restored, name, value)
            restored.updated_by = by
            restored.full_clean()
            restored.save()
    except (RevertError, IntegrityError) as error:
        raise ValidationError(
            _("This version cannot be restored: %(reason)s") % {"reason": error}
        ) from error
    return restored
