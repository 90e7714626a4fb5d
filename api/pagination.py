from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=`, capped; a bad value of either is a 400."""

    page_size_query_param = "page_size"
    last_page_strings = ()

    @property
    def page_size(self) -> int:
        return settings.API_PAGE_SIZE

    def max_size(self, request) -> int:
        renderer = getattr(request, "accepted_renderer", None)
        # Map clients ask for many small features at once.
        if getattr(renderer, "format", None) == "geojson":
            return settings.API_MAX_GEOJSON_PAGE_SIZE
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(raw, self.page_size_query_param)
        return min(size, self.max_size(request))

    def paginate_queryset(self, queryset, request, view=None):
        return list(self.page_queryset(queryset, request))

    def page_queryset(self, queryset, request):
        """The page's records, not yet read: a sliced queryset."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = _positive_int(
            request.query_params.get(self.page_query_param) or "1",
            self.page_query_param,
        )
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise ValidationError(
                {
                    self.page_query_param: [
                        _("There is no page %(number)s: the last page is %(last)s.")
                        % {"number": number, "last": paginator.num_pages}
                    ]
                }
            ) from None
        return self.page.object_list

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["default"] = settings.API_PAGE_SIZE
                parameter["description"] = _(
                    "Results per page: at most %(json)s, or %(geojson)s in GeoJSON; "
                    "larger values are capped."
                ) % {
                    "json": settings.API_MAX_PAGE_SIZE,
                    "geojson": settings.API_MAX_GEOJSON_PAGE_SIZE,
                }
        return parameters


def _positive_int(value: str, parameter: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or len(value) > 9:
        raise ValidationError({parameter: [_("Give a whole number of 1 or more.")]})
    return number
