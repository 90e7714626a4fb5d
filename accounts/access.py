"""What a user may do in the editorial workflow, from their staff memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accounts.models import Role, StaffMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class EditorialAccess:
    """A user's roles, read once per user object: superuser, moderator, and the
    organisations (partner keys) they work for."""

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
