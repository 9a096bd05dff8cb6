"""The bottom bar of a building's pages, written in Python: it is on every page a
resident opens, and its icons were one template include each."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from buildings.extensions import NAV_LINKS

register = template.Library()

ICON = (
    '<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
    "{}</svg>"
)
PATHS = {
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h14V10"/>',
    "hand": '<path d="M8 13V5a2 2 0 0 1 4 0v6"/><path d="M12 10V4a2 2 0 0 1 4 0v7"/><path d="M16 10a2 2 0 0 1 4 0v4a7 7 0 0 1-7 7h-1a7 7 0 0 1-6-3l-3-5a2 2 0 0 1 3-2l2 2"/>',
    "vote": '<path d="M4 12l5 5L20 6"/>',
    "coin": '<circle cx="12" cy="12" r="9"/><path d="M9 8l3 4 3-4M8 13h8M12 12v6"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    "todo": '<path d="M9 6h11M9 12h11M9 18h11M4 6l1 1 2-2M4 12l1 1 2-2M4 18l1 1 2-2"/>',
}


def icon(name: str) -> str:
    return mark_safe(ICON.format(PATHS.get(name, "")))


@register.simple_tag
def bottom_nav(building, is_leader):
    links = [(building.get_absolute_url(), icon("home"), _("Home"))]
    links += [
        (reverse(link.url_name, args=[building.pk]), icon(link.icon), link.label)
        for link in NAV_LINKS
    ]
    if is_leader:
        links.append(
            (reverse("buildings:todo", args=[building.pk]), icon("todo"), _("To do"))
        )
    return format_html(
        '<nav class="bottom-nav d-print-none" aria-label="{}">\n{}\n</nav>',
        _("Main"),
        format_html_join("\n", '<a href="{}">{}<span>{}</span></a>', links),
    )
