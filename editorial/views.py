"""Public detail pages of editorial records, and their preview before publication."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control


class PreviewMixin:
    """A detail view whose queryset is `visible_to(request.user)`: the public
    reads published records, and those who manage a draft, in-review or archived
    record ("View on site" in the admin) read it as a preview — marked as not
    public, never stored by a cache and never indexed. To anyone else it is 404.
    """

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=not self.object.is_public, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
