"""Writes to good practices that are not plain editorial edits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import Link
from editorial.models import Status
from editorial.notifications import (
    Recipient,
    moderator_recipients,
    send_in_languages,
)
from goodpractices.models import GoodPractice
from potentials.models import Theme
from regions.models import Partner, Region

logger = logging.getLogger(__name__)


class ProposalsClosed(Exception):
    """No receiving organisation is configured (settings.PROPOSALS_PARTNER)."""


def proposals_partner() -> Partner:
    partner = Partner.objects.filter(slug=settings.PROPOSALS_PARTNER).first()
    if partner is None:
        raise ProposalsClosed(settings.PROPOSALS_PARTNER)
    return partner


# Letters that Unicode does not decompose into a base letter, so slugify would drop
# them ("hałda" would become "hada").
_LATIN = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae"}
)


def _free_slug(title: str) -> str:
    base = slugify(title.translate(_LATIN))[:180].strip("-") or "proposal"
    slug, number = base, 1
    while GoodPractice.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def good_practice_propose(
    *,
    title: str,
    summary: str,
    description: str,
    kind: str,
    language: str,
    proposer_name: str,
    proposer_email: str,
    proposer_organisation: str,
    site_url: str,
    country: str = "",
    region: Region | None = None,
    theme: Theme | None = None,
    links: Sequence[str] = (),
) -> GoodPractice:
    """Record a good practice proposed from outside the network, in review, and
    tell the moderators.

    Proposers are not partners, so the receiving organisation (PROPOSALS_PARTNER)
    owns the case and stands in as main institution until a moderator has chosen
    the right partner; the proposer's own organisation is kept as text.
    """
    partner = proposals_partner()
    practice = GoodPractice(
        slug=_free_slug(title),
        kind=kind,
        owner=partner,
        main_institution=partner,
        status=Status.IN_REVIEW,
        original_language=language,
        proposer_name=proposer_name,
        proposer_email=proposer_email,
        proposer_organisation=proposer_organisation,
        country=country or (region.country.code if region else ""),
        region=region,
    )
    # The text goes into the language it was written in, and only there.
    for name, value in (
        ("title", title),
        ("summary", summary),
        ("description", description),
    ):
        setattr(practice, f"{name}_{language}", value)
    with translation.override(language):
        practice.full_clean()
        practice.save()
        if theme is not None:
            practice.themes.set([theme])
        for order, url in enumerate(links):
            link = Link(
                content_object=practice,
                kind=Link.Kind.MORE,
                title=_link_title(url),
                url=url,
                order=order,
            )
            link.full_clean()
            link.save()
    admin_url = site_url.rstrip("/") + reverse(
        "admin:goodpractices_goodpractice_change", args=[practice.pk]
    )
    transaction.on_commit(
        lambda: moderators_notify_of_proposal(practice=practice, admin_url=admin_url)
    )
    return practice


def _link_title(url: str) -> str:
    """A link's name until a moderator gives it one: the site it is on."""
    return (urlsplit(url).hostname or url)[:300]


def moderators_notify_of_proposal(*, practice: GoodPractice, admin_url: str) -> None:
    """Tell the moderators (each in their language) and the addresses of
    PROPOSALS_NOTIFY (in the portal's main language) of a proposal."""
    recipients = [
        *moderator_recipients(),
        *(
            Recipient(address, address, settings.LANGUAGE_CODE)
            for address in settings.PROPOSALS_NOTIFY
        ),
    ]
    # The proposal is told in the language it was written in; the mail around it
    # in each recipient's.
    language = practice.original_language
    title = getattr(practice, f"title_{language}") or practice.title
    summary = getattr(practice, f"summary_{language}") or practice.summary

    def compose() -> tuple[str, str]:
        # A mail header is one line (send_mail refuses a line break in it).
        subject = _("New good practice proposed: %(title)s") % {
            "title": " ".join(title.split())
        }
        body = _(
            "%(name)s (%(organisation)s, %(email)s) proposed a good practice for the "
            "portal:\n\n%(title)s\n\n%(summary)s\n\nIt is waiting for review: "
            "%(url)s\n"
        ) % {
            "name": practice.proposer_name,
            "organisation": practice.proposer_organisation or "–",
            "email": practice.proposer_email,
            "title": title,
            "summary": summary,
            "url": admin_url,
        }
        return subject, body

    if not any(recipient.email for recipient in recipients):
        logger.warning(
            "Good practice %s proposed, but no moderator has an e-mail.", practice.pk
        )
        return
    send_in_languages(recipients, compose, what=f"proposal {practice.pk}")
