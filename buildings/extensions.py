"""How feature apps add to root pages without the root importing them.

A feature app may provide, by module name:
- `<app>/panels.py`: `building_panels(access) -> list[Panel]` (shown on the building page,
  the same for everyone of one role), `personal_notes(access) -> list[Note]` (what is
  waiting for this person, on the building page) and `leader_todo(access) ->
  list[TodoItem]` (the leader's to-do page);
- `<app>/privacy.py`: `export_user_data(user)` and `anonymise_user(user)`;
- `<app>/search.py`: `search(access, query) -> list[SearchGroup]` (what the person may see
  of their building that matches the words, a few rows per kind: the building's search page);
- `<app>/synthetic/demo.py`: `seed_demo(community)`;
- `<app>/synthetic/district.py`: `generate_district(district)`.
They are found through the installed apps, in INSTALLED_APPS order.

What the root needs to know of a feature app beyond modules (a folder of private photos, the
page staff land on) the app registers here from its
AppConfig.ready(), so the root names no feature app.
"""

import importlib
import importlib.util
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    """A short summary of a feature on the building page."""

    title: str
    lines: list[str]
    url: str
    alert: str = ""  # a warning shown in red, e.g. "2 issues overdue"


@dataclass(frozen=True)
class Note:
    """Something waiting for this person, e.g. "2 waiting for my vote"."""

    text: str
    url: str


@dataclass(frozen=True)
class TodoItem:
    """Something waiting for a leader, with how many and where to act."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class SearchHit:
    """One row found by the building's search: never more than the person may see."""

    title: str
    url: str
    detail: str = ""  # a short line: status, date, amount
    snippet: str = ""  # the start of the text


@dataclass(frozen=True)
class SearchGroup:
    """The rows of one kind (issues, proposals, talents, ledger) found for a query."""

    kind: str
    label: str
    hits: list[SearchHit]
    more: bool = False  # more rows matched than are shown
    more_url: str = ""  # where to see them all, if there is such a page


def _find(dotted: str):
    try:
        return importlib.util.find_spec(dotted)
    except ModuleNotFoundError:  # a parent package (e.g. <app>.synthetic) is missing
        return None


def feature_modules(module: str):
    """Yield (app name, module) for every installed app except buildings and core that
    has `<app>.<module>` (a dotted module such as "synthetic.demo" too)."""
    for config in apps.get_app_configs():
        if config.name in ("buildings", "core") or "." in config.name:
            continue
        dotted = f"{config.name}.{module}"
        if _find(dotted) is not None:
            yield config.name, importlib.import_module(dotted)


# --- Registrations (made by feature apps in AppConfig.ready()) ---------------------------

# Media folder -> the permission a person needs to fetch its files at /media/ (the app's
# own views show them to whoever may see the record).
PRIVATE_MEDIA: dict[str, str] = {}
# URL names of the page staff land on, the first registered wins.
STAFF_HOME: list[str] = []


@dataclass(frozen=True)
class NavLink:
    """A link in a member's bottom bar: a URL name that takes the building's pk."""

    url_name: str
    label: str
    icon: str  # a name buildings/templatetags/navigation.py knows


# The bottom bar between "Home" and the leader's "To do", in the order registered.
NAV_LINKS: list[NavLink] = []


@dataclass(frozen=True)
class ResidentLink:
    """A button on a resident's page (for the leader): a URL name taking the building's
    and the resident's pk."""

    url_name: str
    label: str


RESIDENT_LINKS: list[ResidentLink] = []


def register_private_media(folder: str, permission: str) -> None:
    """Files under MEDIA_ROOT/<folder>/ are given at /media/ only to holders of
    `permission` ("app_label.codename")."""
    PRIVATE_MEDIA[folder] = permission


def register_nav_link(url_name: str, label, icon: str) -> None:
    """Show this page of the member's building in the bottom bar."""
    link = NavLink(url_name, label, icon)
    if link not in NAV_LINKS:
        NAV_LINKS.append(link)


def register_resident_link(url_name: str, label) -> None:
    """Offer this page about one resident on the resident's page."""
    link = ResidentLink(url_name, label)
    if link not in RESIDENT_LINKS:
        RESIDENT_LINKS.append(link)


def register_staff_home(url_name: str) -> None:
    """Staff land on this page (a URL name without arguments) instead of the community."""
    if url_name not in STAFF_HOME:
        STAFF_HOME.append(url_name)


def building_panels(access) -> list[Panel]:
    panels = []
    for _app, module in feature_modules("panels"):
        if hasattr(module, "building_panels"):
            panels.extend(module.building_panels(access))
    return panels


def personal_notes(access) -> list[Note]:
    notes = []
    for _app, module in feature_modules("panels"):
        if hasattr(module, "personal_notes"):
            notes.extend(module.personal_notes(access))
    return notes


def leader_todo(access) -> list[TodoItem]:
    items = []
    for _app, module in feature_modules("panels"):
        if hasattr(module, "leader_todo"):
            items.extend(module.leader_todo(access))
    return items


def notification_settings_links(user) -> list[Note]:
    """More choices about messages (e.g. which kinds also come by SMS), on the root's
    notification settings page; from `<app>/panels.py` `notification_settings_links(user)`."""
    notes = []
    for _app, module in feature_modules("panels"):
        if hasattr(module, "notification_settings_links"):
            notes.extend(module.notification_settings_links(user))
    return notes
