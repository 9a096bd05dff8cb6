"""The bottom bar of a building's pages, written in Python: it is on every page a
resident opens, and its icons were one template include each."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from buildings.extensions import NAV_LINKS

register = template.Library()

# The bar's names for its icons, and the Bootstrap Icons (static/vendor/bootstrap-icons)
# that draw them: the same sprite as {% include "partials/icon.html" %}.
ICONS = {
    "home": "house",
    "hand": "wrench",
    "vote": "check2-square",
    "coin": "wallet2",
    "calendar": "calendar-event",
    "todo": "list-check",
}


def icon(name: str) -> str:
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("vendor/bootstrap-icons/sprite.svg"),
        ICONS.get(name, name),
    )


@register.simple_tag(takes_context=True)
def bottom_nav(context, building, is_leader):
    links = [(building.get_absolute_url(), icon("home"), _("Home"))]
    links += [
        (reverse(link.url_name, args=[building.pk]), icon(link.icon), link.label)
        for link in NAV_LINKS
    ]
    if is_leader:
        links.append(
            (reverse("buildings:todo", args=[building.pk]), icon("todo"), _("To do"))
        )
    # The section one is in is marked (in the accent colour): the home link only on
    # the building page itself, the others on every page under them.
    request = context.get("request")
    path = request.path if request is not None else ""
    home = links[0][0]
    rows = [
        (
            url,
            mark_safe(' aria-current="page"')
            if path == url or (url != home and path.startswith(url))
            else "",
            drawn,
            label,
        )
        for url, drawn, label in links
    ]
    return format_html(
        '<nav class="bottom-nav d-print-none" aria-label="{}">\n{}\n</nav>',
        _("Main"),
        format_html_join("\n", '<a href="{}"{}>{}<span>{}</span></a>', rows),
    )
