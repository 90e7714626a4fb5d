"""Pages that work at every width, without a browser: what the HTML must carry."""

import pytest
from django.db.models import Q

from goodpractices.models import GoodPractice
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_list_filters_sit_behind_a_filters_button_that_counts_the_chosen(
    seeded, client
):
    response = client.get("/en/potentials/")
    html = response.content.decode()
    panel = html.index('<details class="filters-panel">')
    # The button tells how many results there are, in view while filtering.
    count = response.context["paginator"].count
    summary = '<summary class="filters-toggle">Filters<span class="filters-count">'
    assert html.index(f"{summary}{count} results</span></summary>") > panel
    # The search, the facets and the button that applies them without JavaScript
    # are in the panel; the result count comes after it, outside.
    closed = html.index("</details>\n    </div>", panel)
    for part in ('id="browse-search"', 'class="facet"', "Apply filters"):
        assert panel < html.index(part) < closed
    assert html.index('id="result-count"') > closed

    chosen = client.get(
        "/en/potentials/?theme=cultural-potentials&stage=implemented&stage=piloted"
    ).content.decode()
    chosen_count = '<summary class="filters-toggle">Filters <span class="facet-chosen">'
    assert chosen_count + "(3 chosen)" in chosen


def test_difficulties_typed_as_a_list_are_shown_as_a_list(seeded, client):
    practice = (
        GoodPractice.objects.published()
        .filter(
            Q(difficulties_encountered_en__startswith="- ")
            | Q(difficulties_encountered_en__contains="\n- ")
        )
        .first()
    )
    assert practice is not None
    html = client.get(practice.get_absolute_url()).content.decode()
    section = html[html.index("Difficulties encountered") :]
    section = section[: section.index("</section>")]
    assert "<ul><li>" in section
    assert "<p>- " not in section and "<br>- " not in section


def test_matrix_has_a_card_per_legacy_type_listing_only_its_uses(seeded, client):
    response = client.get("/en/utilisation-matrix/")
    html = response.content.decode()
    rows = response.context["rows"]
    cards = html[html.index('<ul class="cards matrix-cards">') :]
    assert cards.count('<li class="card">') == len(rows)
    used = sum(1 for row in rows for c in row["cells"] if c["count"] or c["practices"])
    assert cards.count('class="matrix-use"') == used
    # The table puts the few legacy types across and the categories down.
    table = html[html.index('<table class="matrix">') : html.index("</table>")]
    assert table.count('<th scope="col">') == len(rows)
    assert table.count('<th scope="row">') == len(response.context["categories"])


def test_a_filter_without_a_control_is_named_kept_and_removable(client):
    """A link from the figures (`?mining_ended_min=…`) narrows the list visibly:
    the page names the filter, keeps it when the form is sent, and links the
    list without it."""
    RegionFactory(slug="early", mining_status="ended", mining_ended_year=1985)
    RegionFactory(slug="nineties", mining_status="ended", mining_ended_year=1994)
    response = client.get(
        "/en/regions/?mining_ended_min=1990&mining_ended_max=1999&country=de"
    )
    html = response.content.decode()
    slugs = {region.slug for region in response.context["object_list"]}
    assert "nineties" in slugs and "early" not in slugs
    assert "Mining ended in or after: 1990" in html
    assert '<input type="hidden" name="mining_ended_min" value="1990">' in html
    assert 'href="/en/regions/?mining_ended_min=1990&amp;country=de"' in html
    assert response.context["filters_chosen"] == 3
    # Filters with controls (the country facet, the search box) are not repeated.
    assert '<input type="hidden" name="country"' not in html
