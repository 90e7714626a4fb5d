from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from potentials.models import Potential
from search.feeds import TextAtom1Feed

FEED_LENGTH = 30


class NewPotentialsFeed(Feed):
    """Newly published potentials, newest first, in the reader's language."""

    # Summaries are plain text, not HTML.
    feed_type = TextAtom1Feed
    title = _("ReSource Portal: new potentials")
    subtitle = _("Post-mining potentials newly published in the ReSource Portal.")
    link = reverse_lazy("potentials:potential-list")

    def items(self):
        return (
            Potential.objects.published()
            .filter(published_at__isnull=False)
            .select_related("region", "category")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name]
