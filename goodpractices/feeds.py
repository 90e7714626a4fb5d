from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from goodpractices.models import GoodPractice
from search.feeds import TextAtom1Feed

FEED_LENGTH = 30


class NewGoodPracticesFeed(Feed):
    """Newly published good practices, newest first, in the reader's language."""

    # Summaries are plain text, not HTML.
    feed_type = TextAtom1Feed
    title = _("ReSource Portal: new good practices")
    subtitle = _("Good practices newly published in the ReSource Portal.")
    link = reverse_lazy("goodpractices:goodpractice-list")

    def items(self):
        return (
            GoodPractice.objects.published()
            .filter(published_at__isnull=False)
            .select_related("main_institution")
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

    def item_author_name(self, item):
        return item.main_institution.name
