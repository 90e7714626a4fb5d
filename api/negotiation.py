from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class ContentNegotiation(DefaultContentNegotiation):
    """`?format=` wins over the Accept header, and an unknown one is a 400."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format = format_suffix or request.query_params.get(
            api_settings.URL_FORMAT_OVERRIDE
        )
        if format:
            renderer = self.filter_renderers(renderers, format)[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            raise ValidationError(
                {
                    api_settings.URL_FORMAT_OVERRIDE: [
                        _(
                            "Unknown format “%(format)s”; this address offers: "
                            "%(formats)s."
                        )
                        % {
                            "format": format[:50],
                            "formats": ", ".join(r.format for r in renderers),
                        }
                    ]
                }
            )
        return matching
