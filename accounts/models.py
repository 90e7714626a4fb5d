"""Who works for which organisation, and in what role.

A user's role in the editorial workflow comes from these memberships alone; the
groups "Editors" and "Moderators" only give the matching model permissions that the
admin needs to show its pages, and are kept in step by `user_roles_sync`.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    MODERATOR = "moderator", _("Moderator")


# The groups a data migration creates, one per role.
GROUP_NAMES: dict[str, str] = {Role.EDITOR: "Editors", Role.MODERATOR: "Moderators"}


class StaffMembershipQuerySet(models.QuerySet):
    def of_user(self, user) -> Self:
        return self.filter(user=user, user__is_active=True)

    def moderators(self) -> Self:
        return self.filter(role=Role.MODERATOR, user__is_active=True)


class StaffMembership(models.Model):
    """A user's place in a partner organisation: editor or moderator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        settings.ORGANISATION_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.EDITOR,
        help_text=_(
            "Editors edit their organisation's records and submit them for review; "
            "moderators review, publish and archive the records of the whole network."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["partner__slug", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner"],
                name="accounts_staffmembership_unique_user_partner",
                violation_error_message=_(
                    "This user is already a member of this organisation."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.partner} ({self.get_role_display()})"


class UserProfile(models.Model):
    """What the portal knows of a user beyond Django's user: the language their
    e-mails are written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language for e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Notifications are written in this language; empty: English."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)
