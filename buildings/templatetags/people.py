"""Names of people as the pages show them."""

from django import template

from buildings.wording import name_as_said

register = template.Library()


@register.filter
def person(name):
    """{{ comment.author_name|person }}: someone who left is named in the reader's language."""
    return name_as_said(name or "")
