"""PDF documents drawn from HTML templates by WeasyPrint.

WeasyPrint lays out with Pango (from the system's packages) and finds fonts
through fontconfig: the templates ask for DejaVu Sans, which has every letter
of the portal's languages (ł, ř, ő, č, ä…). A document fetches nothing over
the network: its styles are inline, and a reference to anything else is refused.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.generic import DetailView

PDF_MEDIA_TYPE = "application/pdf"


def pdf_response(
    request: HttpRequest, template_name: str, context: dict, *, filename: str
) -> HttpResponse:
    """The template rendered for `request`, as a PDF shown in the browser."""
    # Imported when first needed: WeasyPrint parses its default styles on import,
    # a cost (and log lines) every process would pay at start otherwise.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context, request=request)
    document = HTML(
        string=html,
        # Links in the document resolve to the site's absolute addresses.
        base_url=request.build_absolute_uri("/"),
        # Record text is the readers' data: an address in it must not make the
        # server fetch anything. data: URLs are the document's own.
        url_fetcher=URLFetcher(allowed_protocols={"data"}),
    )
    response = HttpResponse(document.write_pdf(), content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Content-Language"] = get_language()
    return response


class CaseSheetMixin:
    """A detail view's record as a PDF case sheet (`template_name`)."""

    def get_context_data(self, **kwargs):
        # The record alone, not the suggestions its page shows beside it: past
        # the detail page's own context, to DetailView's.
        return DetailView.get_context_data(
            self,
            record_url=self.request.build_absolute_uri(self.object.get_absolute_url()),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        return pdf_response(
            self.request, self.template_name, context, filename=self.object.slug
        )
