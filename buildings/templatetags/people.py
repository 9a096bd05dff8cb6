"""Names of people as the pages show them."""

from django import template
from django.utils.translation import gettext, ngettext

from buildings.wording import name_as_said

register = template.Library()


@register.filter
def person(name):
    """{{ comment.author_name|person }}: someone who left is named in the reader's language."""
    return name_as_said(name or "")


@register.filter
def party(signup):
    """{{ registration|party }}: who comes, "1 adult, 2 children" (from .adults and
    .children), each number with its own singular or plural."""
    adults = ngettext("%(count)s adult", "%(count)s adults", signup.adults) % {
        "count": signup.adults
    }
    children = ngettext("%(count)s child", "%(count)s children", signup.children) % {
        "count": signup.children
    }
    return gettext("%(adults)s, %(children)s") % {
        "adults": adults,
        "children": children,
    }
