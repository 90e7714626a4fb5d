"""Search declared on the models: a vector column and two indexes per language."""

import pytest
from django.conf import settings
from django.db import connection

from potentials.models import Potential
from regions.models import Partner
from search.fields import searchable_models
from tests.factories import PotentialFactory
from tests.helpers import run_portal

pytestmark = pytest.mark.django_db


def indexes_of(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
        )
        return dict(cursor.fetchall())


def test_every_language_has_its_column_and_indexes_on_every_searchable_model():
    assert len(searchable_models()) == 7
    with connection.cursor() as cursor:
        for model in searchable_models():
            table = model._meta.db_table
            columns = {
                column.name: column
                for column in connection.introspection.get_table_description(
                    cursor, table
                )
            }
            indexes = indexes_of(table)
            name = model._meta.model_name
            for language, _label in settings.LANGUAGES:
                assert f"search_{language}" in columns, (model, language)
                assert (
                    f"USING gin (search_{language})"
                    in (indexes[f"{name}_search_{language}"])
                )
                # The suggestion index: the words of the titles in that language.
                assert "to_tsvector('rp_" in indexes[f"{name}_prefix_{language}"]


def test_each_language_is_searched_with_its_own_configuration():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, pg_get_expr(adbin, adrelid) FROM pg_attrdef"
            " JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum"
            " WHERE adrelid = 'potentials_potential'::regclass"
        )
        generated = dict(cursor.fetchall())
    assert "rp_german" in generated["search_de"]
    assert "rp_simple" in generated["search_pl"]
    assert "utilisation_options_de" in generated["search_de"]


def test_the_database_computes_the_vectors_whoever_writes():
    potential = PotentialFactory(title="Kaolin pit")
    Potential.objects.filter(pk=potential.pk).update(title_en="Bentonite pit")
    assert list(Potential.objects.search("bentonite")) == [potential]
    assert not Potential.objects.search("kaolin").exists()


def test_records_rows_and_joins_never_carry_the_vectors():
    queries = [
        Potential.objects.all(),
        Potential.objects.select_related("region", "owner", "category"),
        Potential.objects.values(),
        Partner.objects.select_related("region"),
    ]
    for queryset in queries:
        assert "search_" not in str(queryset.query)
    potential = PotentialFactory()
    with pytest.raises(AttributeError, match="search vector"):
        potential.search_en  # noqa: B018


def test_adding_a_language_is_a_settings_change_and_makemigrations():
    """With Slovak added to LANGUAGES, makemigrations writes its search columns and
    indexes for every searchable model (and modeltranslation's text columns)."""
    result = run_portal(
        ["manage.py", "makemigrations", "--dry-run", "-v", "1"],
        settings="tests.settings_with_slovak",
        # No database is needed to plan migrations; none answers here.
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
    )
    assert result.returncode == 0, result.stderr
    for model in searchable_models():
        name = model._meta.model_name
        assert f"Add field search_sk to {name}" in result.stdout
        assert f"Create index {name}_search_sk" in result.stdout
        assert f"Create index {name}_prefix_sk" in result.stdout
    assert "Add field title_sk to potential" in result.stdout
