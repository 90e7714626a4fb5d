"""Password reset for partner staff, from the admin's login page: Django's views
and the admin's own translated templates, inside the admin's frame."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache

#: One reset mail per person in this many seconds, however often the form is
#: sent: nobody's inbox is flooded through the portal.
RESET_MAIL_INTERVAL = 5 * 60


class ThrottledPasswordResetForm(PasswordResetForm):
    """Mails a reset link to the active users with this address, at most once
    per `RESET_MAIL_INTERVAL` each. The page answers the same whether or not the
    address is known or a mail went out, so it tells nobody who has an account."""

    def get_users(self, email):
        for user in super().get_users(email):
            try:
                first = cache.add(
                    f"password-reset-mail:{user.pk}", 1, RESET_MAIL_INTERVAL
                )
            except Exception:  # a cache outage must not block a reset
                first = True
            if first:
                yield user


class AdminFrameMixin:
    """The admin's header and title around Django's auth views."""

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            # Whoever resets a password is not signed in: no list of models.
            "is_nav_sidebar_enabled": False,
            **super().get_context_data(**kwargs),
        }


class PasswordResetView(AdminFrameMixin, auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm


class PasswordResetDoneView(AdminFrameMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminFrameMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(AdminFrameMixin, auth_views.PasswordResetCompleteView):
    pass
