"""The site's own pages: imprint, privacy notice, accessibility statement, contact.

Their texts are content, not code: moderators keep them up to date in every
language in the admin, and the seed only creates them once.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TranslationProvenance


class SitePage(TranslationProvenance):
    """One of the fixed pages a public site must have, one record per kind."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy notice")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        CONTACT = "contact", _("Contact")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown: a blank line between paragraphs, “## ” before a heading, "
            "“- ” before each item of a list, [text](https://…) for a link, and "
            "an e-mail address between angle brackets to link it. HTML is shown "
            "as written, not applied."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def get_absolute_url(self) -> str:
        # Each kind has its own address, named like the kind: {% url 'privacy' %}.
        return reverse(self.kind)
