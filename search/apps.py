from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.languages import is_translated, language_codes
from search.fields import searchable_models
from search.storage import search_storage_tune


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Every model is loaded before any app is ready, so the searchable ones
        # are all known here, whichever app declares them.
        from search import vocabulary

        # Saved public records add their words to the vocabulary of typos.
        vocabulary.connect_search_signals()
        post_migrate.connect(_tune_storage, sender=self, dispatch_uid="search-storage")
        checks.register(check_search_fields, checks.Tags.models)


def _tune_storage(using="default", **kwargs) -> None:
    search_storage_tune(
        models=searchable_models(),
        languages=language_codes(),
        using=using,
    )


def check_search_fields(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A searchable text is declared untranslated exactly when it is."""
    errors = []
    for model in searchable_models():
        spec = model.search_spec
        for name, _weight in spec.fields:
            declared = name not in spec.untranslated
            if declared != is_translated(model, name):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{name} is searched as "
                        f"{'translated' if declared else 'untranslated'}, but "
                        f"translation.py says otherwise.",
                        hint="Name the untranslated ones: searchable(untranslated=…).",
                        obj=model,
                        id="search.E001",
                    )
                )
    return errors
