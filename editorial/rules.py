"""Who may do what with an editorial record: the one place that says so.

The `can_*` predicates here decide for one record, the `visible_to` and
`managed_by` methods of `PublishableQuerySet` for many. The admin, the API and
the import all ask them; the writes themselves are the services of
`editorial.services`.

The rules, in short:

- Anyone sees published records.
- An editor (a `StaffMembership` with role editor) sees all records of their own
  organisations, edits them while they are drafts, never hands them to another
  organisation, and submits drafts for review.
- A record in review holds still for everyone (`frozen_for_review`): publishing
  releases exactly what the moderator read. To change it, a moderator sends it
  back to draft first, or its editor withdraws it from review. Published and archived
  records are the moderators' to change, so that nothing reaches the public unseen.
- A moderator sees and edits every record, changes its owner, publishes, sends
  back with a comment and archives.
- A superuser can do all of that and is the only one who deletes (moderators
  archive instead, so nothing is lost).

Each predicate takes the user and the record as it is stored (its status and owner).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.access import EditorialAccess
from editorial.models import (
    EDITOR_EDITABLE,
    TRANSITIONS,
    Publishable,
    Status,
    Transition,
)

if TYPE_CHECKING:
    from editorial.models import AnyUser


def manages(user: AnyUser | None, record: Publishable) -> bool:
    access = EditorialAccess.of(user)
    return access.sees_everything or record.owner_id in access.partner_ids


def can_create(user: AnyUser | None) -> bool:
    return EditorialAccess.of(user).is_staff_member


def can_edit(user: AnyUser | None, record: Publishable) -> bool:
    access = EditorialAccess.of(user)
    if access.sees_everything:
        return True
    return record.owner_id in access.partner_ids and record.status in EDITOR_EDITABLE


def frozen_for_review(record: Publishable) -> bool:
    """A record in review is what the moderator reads: nobody changes its content
    until it is sent back (or published, or archived)."""
    return record.status == Status.IN_REVIEW


def can_change_content(user: AnyUser | None, record: Publishable) -> bool:
    """`can_edit`, and the record is not frozen for its review."""
    return can_edit(user, record) and not frozen_for_review(record)


def can_own(user: AnyUser | None, partner_id: int | None) -> bool:
    """May `user` make the partner `partner_id` the owner of a record?"""
    access = EditorialAccess.of(user)
    return access.sees_everything or partner_id in access.partner_ids


def can_change_owner(user: AnyUser | None, record: Publishable) -> bool:
    return EditorialAccess.of(user).sees_everything


def may_moderate(user: AnyUser | None) -> bool:
    """Moderators (and superusers) give the network's judgement on a record."""
    return EditorialAccess.of(user).sees_everything


def may_transition(user: AnyUser | None, transition: str) -> bool:
    """Whether the user's role allows `transition` at all, whatever the record."""
    access = EditorialAccess.of(user)
    if transition == Transition.SUBMIT:
        return access.is_staff_member
    if transition == Transition.WITHDRAW:
        return access.is_staff_member and not access.sees_everything
    return access.sees_everything


def can_transition(user: AnyUser | None, record: Publishable, transition: str) -> bool:
    """The role allows it, the user manages the record, and its status allows it."""
    sources, _target = TRANSITIONS[transition]
    return (
        may_transition(user, transition)
        and manages(user, record)
        and record.status in sources
    )


def can_delete(user: AnyUser | None, record: Publishable | None = None) -> bool:
    return EditorialAccess.of(user).is_superuser


def can_restore(user: AnyUser | None, record: Publishable) -> bool:
    """Restoring an earlier version is an edit of the record as it is now."""
    return can_edit(user, record)


def transitions_for(user: AnyUser | None, record: Publishable) -> list[Transition]:
    """The transitions `user` can apply to `record` now, for buttons and menus."""
    return [t for t in Transition if can_transition(user, record, t)]
