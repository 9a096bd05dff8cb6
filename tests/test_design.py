"""The design system's parts that a page cannot check by itself: every icon a template or
the bottom bar names is in the vendored sprite (and the sprite is built from the vendored
icons), and the bottom bar marks the section one is in."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from buildings.templatetags.navigation import ICONS

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "static" / "vendor" / "bootstrap-icons"


def sprite_ids() -> set[str]:
    return set(
        re.findall(r'<symbol id="([^"]+)"', (ICON_DIR / "sprite.svg").read_text())
    )


def test_every_icon_named_is_in_the_sprite():
    named = set(ICONS.values()) | {"chevron-right"}
    for template in (ROOT / "templates").rglob("*.html"):
        named |= set(
            re.findall(r'partials/icon.html" with name="([^"]+)"', template.read_text())
        )
    assert named - sprite_ids() == set()
    assert (ICON_DIR / "LICENSE").read_text().startswith("The MIT License")


def test_the_sprite_is_built_from_the_vendored_icons(tmp_path):
    before = (ICON_DIR / "sprite.svg").read_text()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_icons.py")],
        check=True,
        capture_output=True,
    )
    assert (ICON_DIR / "sprite.svg").read_text() == before
    stems = {path.stem for path in (ICON_DIR / "icons").glob("*.svg")}
    assert stems == sprite_ids()


@pytest.mark.django_db
def test_the_bottom_bar_marks_the_section_one_is_in(client):
    from tests.factories import AccountResidentFactory

    resident = AccountResidentFactory()
    building = resident.household.building
    client.force_login(resident.user)

    def current(path):
        text = client.get(path).content.decode()
        nav = text[text.index('<nav class="bottom-nav') :]
        return re.findall(r'<a href="([^"]+)" aria-current="page"', nav)

    home = building.get_absolute_url()
    issues = f"/buildings/{building.pk}/issues/"
    assert current(home) == [home]
    assert current(issues) == [issues]
    assert current(f"/buildings/{building.pk}/fund/") == [
        f"/buildings/{building.pk}/fund/"
    ]
