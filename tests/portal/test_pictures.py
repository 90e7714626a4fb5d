"""Pictures on the public pages, in the API and in upload forms."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import override_settings

from potentials.models import Category, PotentialImage
from tests.factories import (
    CategoryFactory,
    GoodPracticeImageFactory,
    PartnerImageFactory,
    PotentialFactory,
    PotentialImageFactory,
    RegionImageFactory,
    picture_file,
)

pytestmark = pytest.mark.django_db


def test_an_upload_form_shows_why_a_file_is_refused_and_keeps_the_rest():
    form_class = modelform_factory(
        PotentialImage, fields=["potential", "image", "alt", "credit", "licence"]
    )
    potential = PotentialFactory()
    data = {
        "potential": potential.pk,
        "alt": "A headframe",
        "credit": "Anna",
        "licence": "cc0-1.0",
    }
    svg = SimpleUploadedFile("x.svg", b"<svg><script>alert(1)</script></svg>")
    form = form_class(data, {"image": svg})
    assert not form.is_valid()
    assert "SVG" in form.errors["image"][0]
    assert form["alt"].value() == "A headframe"
    good = form_class(data, {"image": picture_file()})
    assert good.is_valid(), good.errors
    assert good.save().card.name


def test_a_card_shows_the_first_picture_with_alt_credit_and_licence(client):
    image = PotentialImageFactory(alt="The flooded pit at dusk", potential__title="Zyx")
    PotentialImageFactory(potential=image.potential, alt="A later one", order=5)
    html = client.get("/en/potentials/?search=Zyx").content.decode()
    card = html[html.index("The flooded pit at dusk") - 600 :]
    assert image.card.url in card
    assert 'width="480" height="320"' in card
    assert "Jana Nováková · CC BY 4.0" in card
    assert "A later one" not in html


def test_a_detail_page_shows_pictures_with_caption_credit_and_licence(client):
    image = PotentialImageFactory(caption="Seen from the dam")
    html = client.get(image.potential.get_absolute_url()).content.decode()
    assert image.detail.url in html
    assert f'alt="{image.alt}"' in html
    assert "Seen from the dam" in html
    assert "Picture: Jana Nováková" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license' in html
    assert image.image.url not in html, "the uploaded file itself is not linked"
    assert '"ImageObject"' in html, "search engines are told of it too"


def test_a_record_without_a_picture_shows_its_category_icon(client):
    category = CategoryFactory(icon=Category.Icon.FLAME)
    potential = PotentialFactory(category=category, title="Warm mine water")
    html = client.get("/en/potentials/?search=Warm").content.decode()
    card = html[html.index('class="card card-pictured"') :]
    card = card[: card.index("</li>")]
    assert "Warm mine water" in card
    assert '<span class="card-icon"><svg' in card
    assert 'aria-hidden="true"' in card
    assert "<img" not in card
    assert potential.get_absolute_url() in card


def test_the_first_picture_is_the_open_graph_image(client):
    image = PotentialImageFactory()
    html = client.get(image.potential.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver{image.og.url}">' in (
        html
    )
    assert f'<meta property="og:image:alt" content="{image.alt}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert html.count('property="og:image"') == 1
    # A record without a picture shows the portal's own, and only that.
    without = client.get(PotentialFactory().get_absolute_url()).content.decode()
    assert without.count('property="og:image"') == 1
    assert "og-default" in without


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        (PotentialImageFactory, "potential"),
        (GoodPracticeImageFactory, "good_practice"),
        (RegionImageFactory, "region"),
        (PartnerImageFactory, "partner"),
    ],
)
def test_every_kind_shows_its_pictures_on_its_page_and_in_the_api(
    client, factory, path
):
    image = factory()
    record = getattr(image, path)
    html = client.get(record.get_absolute_url()).content.decode()
    assert image.detail.url in html
    assert "og:image:alt" in html
    kind = {
        "potential": "potentials",
        "good_practice": "good-practices",
        "region": "regions",
        "partner": "partners",
    }[path]
    answer = client.get(f"/api/v1/{kind}/{record.slug}/")
    assert answer.status_code == 200, answer.content[:300]
    (shown,) = answer.json()["images"]
    assert shown["alt"] == image.alt
    assert shown["credit"] == "Jana Nováková"
    assert shown["licence"] == "cc-by-4.0"
    assert shown["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert shown["sizes"]["og"] == {
        "url": f"http://testserver{image.og.url}",
        "width": 1200,
        "height": 630,
    }
    assert shown["sizes"]["card"]["width"] == 480


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
@pytest.mark.parametrize(
    ("factory", "path", "url"),
    [
        (PotentialImageFactory, "potential", "/en/potentials/"),
        (GoodPracticeImageFactory, "good_practice", "/en/good-practices/"),
        (RegionImageFactory, "region", "/en/regions/"),
        (PartnerImageFactory, "partner", "/en/partners/"),
    ],
)
@override_settings(PAGE_CACHE=False)
def test_list_pages_read_pictures_in_one_query(
    client, django_assert_max_num_queries, factory, path, url
):
    name = {f"{path}__{'name' if path in ('region', 'partner') else 'title'}": "Zyx"}
    url = f"{url}?search=Zyx"
    factory(**name)
    client.get(url)
    cache.clear()  # Computed both times, facet counts included.
    with django_assert_max_num_queries(60) as one:
        client.get(url)
    for _ in range(11):
        factory(**name)
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count(' srcset="') == 12
