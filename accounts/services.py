"""Writes to accounts: keeping a user's groups in step with their memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from accounts.access import forget_access
from accounts.models import GROUP_NAMES, Role, StaffMembership, UserProfile


@transaction.atomic
def user_roles_sync(*, user: AbstractBaseUser, by: AbstractBaseUser | None) -> None:
    """Give `user` the groups and admin access that their memberships call for.

    The roles live in the memberships; the groups only carry the model
    permissions the admin checks, so they are derived here and never set by hand.
    """
    roles = set(
        StaffMembership.objects.filter(user=user).values_list("role", flat=True)
    )
    groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
    for role, group in groups.items():
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_access(user)


@transaction.atomic
def user_staff_join(
    *, user: AbstractBaseUser, partner, role: str, by: AbstractBaseUser | None
) -> StaffMembership:
    """Make `user` an editor or moderator of `partner`, with the groups and admin
    access that go with it."""
    membership = StaffMembership(user=user, partner=partner, role=role)
    membership.full_clean()
    membership.save()
    user_roles_sync(user=user, by=by)
    return membership


@transaction.atomic
def user_language_set(*, user: AbstractBaseUser, language: str) -> UserProfile:
    """The language the portal writes to `user` in ("" for the main one)."""
    profile, _created = UserProfile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.full_clean()
        profile.save(update_fields=["language"])
    return profile


__all__ = ["Role", "user_language_set", "user_roles_sync", "user_staff_join"]
