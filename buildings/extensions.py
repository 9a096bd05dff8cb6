"""How feature apps add to root pages without the root importing them.

A feature app may provide, by module name:
- `<app>/panels.py`: `building_panels(access) -> list[Panel]` (shown on the building page,
  the same for everyone of one role), `personal_notes(access) -> list[Note]` (what is
  waiting for this person, on the building page) and `leader_todo(access) ->
  list[TodoItem]` (the leader's to-do page);
- `<app>/privacy.py`: `export_user_data(user)` and `anonymise_user(user)`;
- `<app>/demo.py`: `seed_demo(community)`.
They are found through the installed apps, in INSTALLED_APPS order.
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


def feature_modules(module: str):
    """Yield (app name, module) for every installed app except buildings that has it."""
    for config in apps.get_app_configs():
        if config.name == "buildings" or "." in config.name:
            continue
        dotted = f"{config.name}.{module}"
        if importlib.util.find_spec(dotted) is not None:
            yield config.name, importlib.import_module(dotted)


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
