"""E-mails of the editorial workflow: to the moderators when a record awaits
review, to its editors when it is published or sent back.

Each mail is written in its recipient's language (their profile's, else the
portal's main language). A recipient without an e-mail address cannot be told;
`notification_gaps` names them so that the admin can say so instead of skipping
them silently. Mails go out after the transaction commits, through Django's mail
API (EMAIL_URL chooses the backend).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, StaffMembership
from editorial.models import Publishable, Transition

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    username: str
    email: str
    language: str


def _recipients(users) -> list[Recipient]:
    return [
        Recipient(username, email or "", language or settings.LANGUAGE_CODE)
        for username, email, language in users.values_list(
            "username", "email", "profile__language"
        ).order_by("username")
    ]


def moderator_recipients() -> list[Recipient]:
    """The active moderators, each once."""
    users = get_user_model()._default_manager.filter(
        is_active=True, staff_memberships__role=Role.MODERATOR
    )
    return _recipients(users.distinct())


def editor_ids_of(record: Publishable) -> tuple[int | None, int | None]:
    """Who wrote `record`: its creator and who changed it last (before a
    transition, the editor who submitted it)."""
    return (record.created_by_id, record.updated_by_id)


def editor_recipients(
    record: Publishable, *, user_ids: Iterable[int | None], by
) -> list[Recipient]:
    """The people who wrote `record` (`user_ids`: its creator and who submitted
    it), leaving out `by`, who did the transition; when none of them is left,
    the editors of its organisation."""
    ids = {pk for pk in user_ids if pk is not None and pk != getattr(by, "pk", None)}
    users = get_user_model()._default_manager.filter(is_active=True)
    named = users.filter(pk__in=ids)
    if named.exists():
        return _recipients(named)
    editors = users.filter(
        staff_memberships__partner_id=record.owner_id,
        staff_memberships__role=Role.EDITOR,
    ).exclude(pk=getattr(by, "pk", None))
    return _recipients(editors.distinct())


def users_without_email() -> list[str]:
    """Staff who would be told of editorial work but have no e-mail address."""
    return list(
        StaffMembership.objects.filter(user__is_active=True)
        .filter(Q(user__email="") | Q(user__email__isnull=True))
        .values_list("user__username", flat=True)
        .distinct()
        .order_by("user__username")
    )


def admin_url(record: Publishable) -> str:
    opts = record._meta
    return settings.SITE_URL.rstrip("/") + reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
    )


def send_in_languages(
    recipients: Iterable[Recipient], compose, *, what: str
) -> list[str]:
    """Send one mail per language to the recipients who have an address:
    `compose()` gives (subject, body) in the active language. Returns the
    usernames of the recipients without an address."""
    by_language: dict[str, list[str]] = defaultdict(list)
    missing = []
    for recipient in recipients:
        if recipient.email:
            by_language[recipient.language].append(recipient.email)
        else:
            missing.append(recipient.username)
    messages = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject, body = compose()
        messages.append(EmailMessage(subject, body, to=sorted(set(addresses))))
    if messages:
        try:
            get_connection().send_messages(messages)
        except OSError:
            # The change is saved; a mail server outage must not undo it. The
            # records also wait on the admin's dashboard.
            logger.exception("Could not send the mail about %s", what)
    if missing:
        logger.warning("No e-mail address for %s about %s", missing, what)
    return missing


def _title(record: Publishable) -> str:
    language = getattr(record, "original_language", "") or settings.LANGUAGE_CODE
    return getattr(record, f"title_{language}", "") or str(record)


def transition_notify(
    *,
    record: Publishable,
    transition: str,
    by,
    comment: str = "",
    editor_ids: Iterable[int | None] = (),
) -> list[str]:
    """Tell whom a transition concerns; returns the usernames that could not be
    told for want of an address."""
    url = admin_url(record)
    title = _title(record)
    kind = record._meta.verbose_name
    who = by.get_username() if by is not None else "–"
    if transition == Transition.SUBMIT:

        def compose():
            return (
                _("For review: %(title)s") % {"title": title},
                _(
                    "%(user)s submitted the %(kind)s “%(title)s” for review.\n\n"
                    "Review it here: %(url)s\n"
                )
                % {"user": who, "kind": kind, "title": title, "url": url},
            )

        recipients = moderator_recipients()
    elif transition in (Transition.PUBLISH, Transition.SEND_BACK):
        if transition == Transition.PUBLISH:

            def compose():
                return (
                    _("Published: %(title)s") % {"title": title},
                    _(
                        "%(user)s published the %(kind)s “%(title)s”.\n\n"
                        "It is now public: %(public)s\nIn the admin: %(url)s\n"
                    )
                    % {
                        "user": who,
                        "kind": kind,
                        "title": title,
                        "url": url,
                        "public": settings.SITE_URL.rstrip("/")
                        + record.get_absolute_url(),
                    },
                )

        else:

            def compose():
                return (
                    _("Sent back: %(title)s") % {"title": title},
                    _(
                        "%(user)s sent the %(kind)s “%(title)s” back to you with "
                        "this comment:\n\n%(comment)s\n\nEdit it and submit it "
                        "again: %(url)s\n"
                    )
                    % {
                        "user": who,
                        "kind": kind,
                        "title": title,
                        "comment": comment,
                        "url": url,
                    },
                )

        recipients = editor_recipients(record, user_ids=editor_ids, by=by)
    else:
        return []
    what = f"{transition} of {record._meta.label} {record.pk}"
    return send_in_languages(recipients, compose, what=what)


def transition_recipients_without_email(
    *, record: Publishable, transition: str, by, editor_ids: Iterable[int | None]
) -> list[str]:
    """Who a transition would concern but has no address (for a warning)."""
    if transition == Transition.SUBMIT:
        recipients = moderator_recipients()
    elif transition in (Transition.PUBLISH, Transition.SEND_BACK):
        recipients = editor_recipients(record, user_ids=editor_ids, by=by)
    else:
        return []
    return [r.username for r in recipients if not r.email]
