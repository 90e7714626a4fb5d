"""A record a page only names and links to, read with `named_by`: what the page
shows of it is the same as when read whole, without a query more."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.languages import named_by, reading_only
from potentials.models import Potential
from tests.factories import PotentialFactory

pytestmark = pytest.mark.django_db

LINK = (
    '{% load content %}<a href="{{ p.get_absolute_url }}">{% tr p "title" %}</a>'
    ' ({% tr p.category "name" %}, {% tr p.region "name" %})'
)


def test_a_named_record_shows_the_same_link_and_language_marks_as_a_whole_one():
    # Written in German, translated to English and not yet reviewed; no Polish.
    PotentialFactory(
        slug="zwickau-heat",
        original_language="de",
        title_de="Grubenwasserwärme",
        title_en="Heat from mine water",
        translation_provenance={"title": {"en": "unreviewed"}},
    )
    whole = Potential.objects.select_related("category", "region").filter(
        slug="zwickau-heat"
    )
    named = whole.only(
        *named_by(Potential, "title", category=("name",), region=("name",))
    )
    shown_as = {}
    for language in ("en", "de", "pl"):
        with translation.override(language):
            expected = Template(LINK).render(Context({"p": whole.get()}))
            record = named.get()
            with CaptureQueriesContext(connection) as queries:
                shown = Template(LINK).render(Context({"p": record}))
        assert shown == expected
        assert queries.captured_queries == []
        shown_as[language] = shown
    assert 'class="unreviewed-translation"' in shown_as["en"]
    assert "Grubenwasserwärme" in shown_as["de"]
    assert 'lang="en" class="unreviewed-translation"' in shown_as["pl"]


def test_named_by_reads_the_texts_in_every_language_and_nothing_long():
    fields = named_by(Potential, "title", category=("name",))
    assert fields[:4] == [
        "slug",
        "title",
        "original_language",
        "translation_provenance",
    ]
    assert "category" in fields and "category__name" in fields
    sql = str(Potential.objects.only(*fields).query)
    assert '"title_pl"' in sql and '"category_id"' in sql
    assert '"description_en"' not in sql


def test_reading_only_joins_the_records_named_and_no_other():
    whole = Potential.objects.select_related("region", "category__theme")
    assert reading_only(whole, ()) is whole
    sql = str(reading_only(whole, named_by(Potential, "title", region=("name",))).query)
    assert '"regions_region"' in sql and '"name_de"' in sql
    assert '"potentials_category"' not in sql and '"potentials_theme"' not in sql
    assert '"summary_en"' not in sql
