from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word that occurs in public searchable text: the vocabulary typos are
    corrected to.

    Lower case and without accents, as PostgreSQL's `unaccent` writes it. Words are
    only ever added; `rebuild_search_index` recomputes the list from the content.
    """

    word = models.CharField(_("word"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="word_trigrams")
        ]

    def __str__(self) -> str:
        return self.word
