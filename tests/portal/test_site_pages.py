"""The site's own pages (imprint, privacy, accessibility, contact), the favicon,
the default link-preview picture, and what the footer and about page point to."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from goodpractices.forms import ProposalForm
from portal.models import SitePage
from portal.seed import SITE_PAGES_FILE, SeedLoader, _read
from portal.text import markdown_html
from tests.factories import PartnerFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

KINDS = ["imprint", "privacy", "accessibility", "contact"]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_site_page_renders_in_every_language(seeded, client, language):
    for kind in KINDS:
        url = reverse(kind).replace("/en/", f"/{language}/", 1)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        page = SitePage.objects.get(kind=kind)
        assert "<h1" in html and "<h2>" in html, url
        # A text not yet translated is shown in English, and says so.
        if language != "en" and not getattr(page, f"body_{language}"):
            assert '<div class="site-page-body" lang="en">' in html


def test_footer_links_the_site_pages_the_figures_and_the_api(seeded, client):
    html = client.get("/pl/").content.decode()
    for name in [*KINDS, "statistics"]:
        assert f'href="/pl/{reverse(name)[4:]}"' in html, name
    assert f'href="{reverse("api:docs")}"' in html
    # The programme credits, in the reader's language, with the seeds' facts.
    assert "776811" in html
    assert "Grant Agreement No." not in html
    assert "Interreg IVB" in html


def test_about_page_has_a_data_and_api_section(seeded, client):
    html = client.get(reverse("about")).content.decode()
    assert 'id="data"' in html
    assert f'href="{reverse("api:docs")}"' in html
    assert f'href="{reverse("api:root")}"' in html
    assert f'href="{reverse("statistics")}"' in html


def test_privacy_notice_names_what_the_proposal_form_keeps(seeded, client):
    text = client.get(reverse("privacy")).content.decode()
    form = ProposalForm()
    for field in ("proposer_name", "proposer_email", "proposer_organisation"):
        assert field in form.fields
    for kept in ("your name", "your e-mail address", "your organisation"):
        assert kept in text
    for fact in ("csrftoken", "sessionid", "one hour", "moderators", "IP address"):
        assert fact in text
    # Whatever only the operator can state is left to them, never guessed.
    assert "To be completed by the operator" in text


def test_accessibility_statement_states_the_target_and_the_tests(seeded, client):
    text = client.get(reverse("accessibility")).content.decode()
    for fact in ("WCAG", "2.1", "AA", "axe-core", "360", "1366", "Known limits"):
        assert fact in text
    assert 'href="../contact/"' in text


def test_moderator_edits_a_site_page_in_any_language_in_the_admin(seeded, client):
    moderator = staff_user(PartnerFactory(), role=Role.MODERATOR)
    client.force_login(moderator)
    page = SitePage.objects.get(kind="contact")
    url = reverse("admin:portal_sitepage_change", args=[page.pk])
    assert client.get(url).status_code == 200
    data = {f"title_{code}": "" for code, _name in settings.LANGUAGES}
    data |= {f"body_{code}": "" for code, _name in settings.LANGUAGES}
    data |= {
        "title_en": "Contact",
        "body_en": "Write to <contact@example.org>.",
        "title_de": "Kontakt",
        "body_de": "Schreiben Sie an <kontakt@example.org>.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.body_de == "Schreiben Sie an <kontakt@example.org>."
    html = client.get("/de/contact/").content.decode()
    assert '<a href="mailto:kontakt@example.org">kontakt@example.org</a>' in html
    # The pages are fixed: moderators neither add nor delete them.
    assert client.get(reverse("admin:portal_sitepage_add")).status_code == 403
    delete = reverse("admin:portal_sitepage_delete", args=[page.pk])
    assert client.get(delete).status_code == 403


def test_editor_cannot_edit_site_pages(seeded, client):
    client.force_login(staff_user(PartnerFactory(), role=Role.EDITOR))
    page = SitePage.objects.get(kind="imprint")
    url = reverse("admin:portal_sitepage_change", args=[page.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title_en": "Hacked"}).status_code == 403
    page.refresh_from_db()
    assert page.title_en == "Imprint"


def test_anonymous_and_plain_users_cannot_reach_the_admin_page(seeded, client):
    page = SitePage.objects.get(kind="imprint")
    url = reverse("admin:portal_sitepage_change", args=[page.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302


def test_seed_loading_again_keeps_the_moderators_texts(seeded):
    page = SitePage.objects.get(kind="imprint")
    page.body_en = "Run by the example authority."
    page.save()
    loader = SeedLoader()
    loader.load_site_pages(_read(settings.SEED_CONTENT_DIR / SITE_PAGES_FILE))
    page.refresh_from_db()
    assert page.body_en == "Run by the example authority."
    assert loader.report.unchanged["site pages"] == 4
    assert not loader.report.created


def test_missing_site_page_is_not_found_rather_than_an_error(seeded, client):
    SitePage.objects.filter(kind="imprint").delete()
    assert client.get(reverse("imprint")).status_code == 404
    assert client.get(reverse("privacy") + "?q=%00").status_code == 200


def test_markdown_is_escaped_and_has_no_script_links_or_second_h1():
    html = markdown_html(
        "# Title\n\n<script>alert(1)</script> [x](javascript:alert(1))\n\n- a\n- b"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "<h1>" not in html and "<h2>Title</h2>" in html
    assert "<ul>\n<li>a</li>" in html


def test_favicon_answers_and_every_page_links_its_icons(seeded, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = Image.open(finders.find("img/favicon.ico"))
    assert icon.format == "ICO"
    html = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html
    assert finders.find("img/favicon.svg")


def test_pages_without_a_picture_of_their_own_show_the_default_one(seeded, client):
    for url in ("/en/", "/de/statistics/", reverse("privacy")):
        html = client.get(url).content.decode()
        assert (
            '<meta property="og:image" content="http://testserver/static/img/'
            'og-default.png">'
        ) in html, url
        assert '<meta property="og:image:alt" content="' in html
    with Image.open(finders.find("img/og-default.png")) as picture:
        assert picture.size == (1200, 630)


def test_sitemap_lists_the_figures_and_the_site_pages(seeded, client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    for name in ("statistics", *KINDS):
        assert f"http://testserver{reverse(name)}</loc>" in xml, name


def test_the_seeds_translations_of_site_pages_are_marked_not_yet_reviewed(
    seeded, client
):
    page = SitePage.objects.get(kind="privacy")
    assert page.translation_provenance["title"]["de"] == "unreviewed"
    assert "en" not in page.translation_provenance["title"]
    html = client.get("/de/privacy/").content.decode()
    assert '<p class="translation-notice" role="note">' in html
