"""Helpers shared by tests."""

from django.db.models import Model

from core.models import Link
from goodpractices.models import GoodPractice
from potentials.models import Category, LegacyType, Potential, Theme
from regions.models import Commodity, Partner, Project, Publication, Region
from search.models import SearchWord


def admin_form_data(response) -> dict:
    """The POST data an admin change form would send back unchanged.

    Built from the rendered form and its inline formsets, management forms included,
    so a test can change one value and submit the rest as the browser would.
    """
    context = response.context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [
                    str(item.pk if isinstance(item, Model) else item) for item in value
                ]
            else:
                data[bound.html_name] = str(
                    value.pk if isinstance(value, Model) else value
                )
    return data


def seed_content_delete() -> None:
    """Empty the database of the seed content (inside a test's transaction, so it
    comes back after the test): the state of a database that never had it."""
    for model in (
        GoodPractice,
        Potential,
        Publication,
        Project,
        Partner,
        Region,
        Commodity,
        Category,
        Theme,
        LegacyType,
        Link,
        SearchWord,
    ):
        model._base_manager.all().delete()
