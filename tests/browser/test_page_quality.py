"""Every main page: light (<= 60 KB transferred on a first load, compressed as the app
and WhiteNoise send it), accessible (no serious or
critical axe-core violation), body text at least 16 px, and no sideways scrolling at 390 px."""

import pytest

from tests.browser.conftest import PAGE_WEIGHT_LIMIT
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    CommunityFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_are_light_accessible_and_readable(audit, main_pages):
    problems, weights = [], []
    for path, login in main_pages:
        weight, serious, font_size, page = audit(path, login=login)
        weights.append(weight)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes transferred")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < 16:
            problems.append(f"{path}: body text {font_size}px")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the phone")
    assert problems == [], "\n".join(problems)
    # Bootstrap's stylesheet alone is over 20 KB compressed: a lighter first load means
    # the browser's byte counts were not read.
    assert min(weights) > 20 * 1024, weights


# Tables wider than their box (cut off, or scrolled sideways inside it) at 390 px.
CLIPPED_TABLES = """() => [...document.querySelectorAll('table')].filter(table => {
    const box = table.getBoundingClientRect();
    const holder = table.parentElement;
    return box.right > document.documentElement.clientWidth + 1
        || holder.scrollWidth > holder.clientWidth + 1;
}).length"""


def test_dashboards_fit_the_phone_with_no_table_cut_off(audit):
    """The community and town dashboards at 390 px: no sideways scrolling, every table
    whole (the wide "All measures" tables stack into labelled cards), buildings 3, 5, 8,
    12, 16."""
    community = CommunityFactory()
    for number in ["16", "3", "12", "5", "8"]:
        AccountResidentFactory(
            household__building=BuildingFactory(community=community, number=number)
        )
    staff = StaffFactory(communities=[community], towns=[community.town])
    for path in (f"/dashboard/c/{community.pk}/", f"/dashboard/t/{community.town_id}/"):
        _weight, serious, font_size, page = audit(path, login=staff.phone)
        assert serious == [], path
        assert font_size >= 16, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.evaluate(CLIPPED_TABLES) == 0, path
        if "/c/" in path:
            names = page.locator("table.stack-table tbody th").all_inner_texts()
            assert names == ["3", "5", "8", "12", "16"]
            first = page.locator("table.stack-table tbody td").first
            assert first.is_visible()
            assert "指数" in first.evaluate(
                "td => getComputedStyle(td, '::before').content"
            ) or "Index" in first.evaluate(
                "td => getComputedStyle(td, '::before').content"
            )
