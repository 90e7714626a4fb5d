"""Publication files: only documents a browser will not run on the portal's origin."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from core.documents import check_document
from regions.models import Publication
from tests.factories import PublicationFactory, UserFactory
from tests.helpers import admin_form_data

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)


def pdf(script: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if script:
        writer.add_open_action(JavaScript(script))
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def xlsx(macros: bool = False) -> bytes:
    stream = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Mine water heat"
    workbook.save(stream)
    if not macros:
        return stream.getvalue()
    with zipfile.ZipFile(stream, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return stream.getvalue()


def odt() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
            'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return stream.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "name, data",
    [("report.pdf", pdf()), ("figures.xlsx", xlsx()), ("handbook.odt", odt())],
)
def test_documents_are_accepted(name, data):
    check_document(upload(name, data))


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("report.pdf", HTML, "markup"),  # a web page renamed .pdf
        ("report.html", HTML, "markup"),
        ("drawing.svg", SVG, "markup"),
        ("drawing.pdf", SVG, "markup"),
        ("run.pdf", pdf("app.alert('hello')"), "script"),
        ("figures.xlsx", xlsx(macros=True), "macros"),
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n", "not_a_document"),
        ("report.pdf", b"%PDF-1.7 but nothing after", "not_a_document"),
        ("figures.pdf", xlsx(), "wrong_ending"),
        ("report.docx", pdf(), "wrong_ending"),
    ],
)
def test_anything_else_is_refused_with_a_reason(name, data, code):
    with pytest.raises(ValidationError) as error:
        check_document(upload(name, data))
    assert error.value.code == code


def test_a_document_over_the_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most 1000"):
        check_document(upload("report.pdf", pdf() + b" " * 1000))


@pytest.mark.django_db
def test_the_admin_refuses_a_web_page_named_pdf_and_keeps_a_real_one(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    publication = PublicationFactory()
    url = reverse("admin:regions_publication_change", args=[publication.pk])
    data = admin_form_data(client.get(url))
    response = client.post(url, {**data, "file": upload("report.pdf", HTML)})
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["file"]
    assert "Web pages, SVG drawings and other markup are not accepted" in message
    assert not Publication.objects.get(pk=publication.pk).file

    response = client.post(url, {**data, "file": upload("report.pdf", pdf())})
    assert response.status_code == 302
    stored = Publication.objects.get(pk=publication.pk).file
    assert stored.name.endswith(".pdf")
    stored.delete(save=False)
