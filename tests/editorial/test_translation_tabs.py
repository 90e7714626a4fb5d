"""Translation tabs say which language is the original and which language an
error belongs to."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.admin import validation_text
from goodpractices.models import GoodPractice
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def test_an_error_names_the_field_and_its_language():
    error = ValidationError(
        {
            "title_de": ["This field cannot be blank."],
            "__all__": ["Give both latitude and longitude, or neither."],
        }
    )
    text = validation_text(error, GoodPractice)
    assert "Title (German): This field cannot be blank." in text
    assert "Give both latitude and longitude, or neither." in text


def test_the_change_form_says_the_original_language_and_labels_languages(client):
    staff = make_staff()
    record = make_record(
        "goodpractice", staff.partner_a, original_language="pl", title_pl="Hałda"
    )
    client.force_login(staff.users["editor_a"])
    text = client.get(
        reverse("admin:goodpractices_goodpractice_change", args=[record.pk])
    ).text
    assert 'id="original-language" data-language="pl"' in text
    assert "Original language: <strong>Polish</strong>" in text
    assert 'for="id_title_pl">Title (Polish)' in text
    assert "js/admin-translation-tabs.js" in text
