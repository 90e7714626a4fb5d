"""Template tags for pictures of records (core.images)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_uri(context, path: str) -> str:
    """`path` as a full address, as Open Graph wants it."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
