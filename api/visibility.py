"""The one place that decides which editorially managed records a client sees.

Anonymous clients see published potentials and good practices only; partner staff
also see their own organisation's drafts, records in review and archived records,
and moderators see everything, exactly as in the admin
(`PublishableQuerySet.visible_to`). Answers that may hold more than the public's
records are never served from or stored in the shared cache (api/caching.py).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from editorial.models import PublishableQuerySet


def visible_records(
    queryset: PublishableQuerySet, user: AbstractBaseUser | AnonymousUser
) -> PublishableQuerySet:
    return queryset.visible_to(user)
