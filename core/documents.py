"""Documents attached to records (a project's reports and handbooks): what an
upload must be to be served from the portal's own address.

An upload is read, not trusted by its name. Accepted: PDF, and office documents
in the open formats (OpenDocument text, spreadsheet, presentation) and Office
Open XML (Word, Excel, PowerPoint) without macros; its name must end as its
content is. Refused: anything else, and above all what a browser would run on
the portal's origin: web pages, SVG drawings, scripts, PDFs with JavaScript
(found in the document catalogue and in the file's uncompressed text; a script
inside a compressed object stream is not looked for: served as
`application/pdf`, a PDF runs in the browser's sandboxed viewer, never as a page
of the portal).
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from core.images import read_within, refuse

# What a document may be, with the endings its name may have.
DOCUMENT_KINDS: dict[str, tuple[str, ...]] = {
    "PDF": (".pdf",),
    "ODT": (".odt",),
    "ODS": (".ods",),
    "ODP": (".odp",),
    "DOCX": (".docx",),
    "XLSX": (".xlsx",),
    "PPTX": (".pptx",),
}
DOCUMENT_ENDINGS = tuple(e for endings in DOCUMENT_KINDS.values() for e in endings)
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "ODT",
    b"application/vnd.oasis.opendocument.spreadsheet": "ODS",
    b"application/vnd.oasis.opendocument.presentation": "ODP",
}
_OOXML_PARTS = {
    "word/document.xml": "DOCX",
    "xl/workbook.xml": "XLSX",
    "ppt/presentation.xml": "PPTX",
}
# Actions that run code, as PDF names ("/JS", not "/JSmith").
_PDF_SCRIPT_MARK = re.compile(rb"/(JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])")


_NOT_A_DOCUMENT = _(
    "This file is not a document the portal accepts. Upload a PDF, or an office "
    "document (ODT, ODS, ODP, DOCX, XLSX, PPTX) without macros."
)


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            kind = _ODF_TYPES.get(archive.read("mimetype").strip())
            scripted = any(name.startswith(("Basic/", "Scripts/")) for name in names)
        else:
            kind = next(
                (kind for part, kind in _OOXML_PARTS.items() if part in names), None
            )
            kind = kind if "[Content_Types].xml" in names else None
            scripted = any(name.lower().endswith("vbaproject.bin") for name in names)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""
    if kind and scripted:
        raise refuse(
            _(
                "This document holds macros (scripts), so it is refused. Save it "
                "without macros, or as PDF, and upload it again."
            ),
            "macros",
        )
    return kind or ""


def _pdf_kind(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or not len(reader.pages):
            return ""
        catalog = reader.trailer["/Root"]
        names = catalog.get("/Names")
        scripted = "/OpenAction" in catalog and "/JS" in str(catalog["/OpenAction"])
        scripted = scripted or (names is not None and "/JavaScript" in names)
    except (PyPdfError, KeyError, OSError, ValueError, TypeError):
        return ""
    if scripted or _PDF_SCRIPT_MARK.search(data):
        raise refuse(
            _(
                "This PDF holds JavaScript or actions that start programs, so it is "
                "refused. Print it to a plain PDF and upload it again."
            ),
            "script",
        )
    return "PDF"


def check_document(upload) -> None:
    """Refuse anything but a PDF or an office document without macros, within
    the size limit, whose name ends as its content is.

    Raises ValidationError with a message that says what to do instead.
    """
    data = read_within(
        upload,
        settings.DOCUMENT_MAX_BYTES,
        _("This file is %(size)s; a document may be at most %(limit)s."),
    )
    if data.startswith(b"%PDF-"):
        kind = _pdf_kind(data)
    elif data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
    else:
        kind = ""
    if not kind:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise refuse(
                _(
                    "Web pages, SVG drawings and other markup are not accepted, as "
                    "a browser would run their scripts. Upload a PDF or an office "
                    "document."
                ),
                "markup",
            )
        raise refuse(_NOT_A_DOCUMENT, "not_a_document")
    ending = os.path.splitext(upload.name or "")[1].lower()
    if ending not in DOCUMENT_KINDS[kind]:
        raise refuse(
            _(
                "The file's name ends in “%(ending)s”, but it holds a %(kind)s "
                "document. Give it the ending “%(right)s” and upload it again."
            ),
            "wrong_ending",
            ending=ending or "–",
            kind=kind,
            right=DOCUMENT_KINDS[kind][0],
        )


def validate_new_document(value) -> None:
    """The model field's validator: checks a file being uploaded, not one stored."""
    if value and not getattr(value, "_committed", True):
        check_document(value.file)
