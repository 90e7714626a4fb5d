from django import template

from editorial.worklist import worklist_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_worklist(context):
    """The signed-in user's work for the admin's front page."""
    return worklist_for(context["request"].user)
