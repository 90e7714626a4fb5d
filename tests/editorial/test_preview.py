"""A record that is not published yet, seen through "View on site"."""

import pytest
from django.contrib.contenttypes.models import ContentType

from editorial.models import Status
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["potential", "goodpractice"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_a_draft_is_previewed_by_who_manages_it_and_404_to_others(
    client, model, status
):
    staff = make_staff()
    record = make_record(model, staff.partner_a, status=status, title_en="Unseen")
    url = record.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(staff.users["editor_b"])
    assert client.get(url).status_code == 404
    for actor in ("editor_a", "moderator", "superuser"):
        client.force_login(staff.users[actor])
        response = client.get(url)
        assert response.status_code == 200, actor
        assert "Unseen" in response.text
        assert 'class="preview-banner"' in response.text
        assert "this page is not public" in response.text
        assert '<meta name="robots" content="noindex, nofollow">' in response.text
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_published_record_has_no_banner_and_no_preview_headers(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    client.force_login(staff.users["editor_a"])
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    assert "preview-banner" not in response.text
    assert "X-Robots-Tag" not in response
    assert "no-store" not in response.get("Cache-Control", "")


def test_view_on_site_from_the_admin_reaches_the_preview(client):
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a)
    client.force_login(staff.users["superuser"])
    content_type = ContentType.objects.get_for_model(record).pk
    response = client.get(f"/admin/r/{content_type}/{record.pk}/", follow=True)
    assert response.status_code == 200
    assert "preview-banner" in response.text
