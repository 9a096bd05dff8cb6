"""Every main page: light (<= 60 KB compressed on first load), accessible (no serious or
critical axe-core violation), body text at least 16 px, and no sideways scrolling at 390 px."""

import pytest

from tests.browser.conftest import PAGE_WEIGHT_LIMIT
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    StaffFactory,
    TalentFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neighbourhood():
    leader = AccountResidentFactory(role="leader", household__building__is_pilot=True)
    building = leader.household.building
    resident = AccountResidentFactory(household__building=building)
    TalentFactory(resident=resident, skill__name="理发")
    announcement = AnnouncementFactory(building=building, title="楼道清洁日")
    AccountResidentFactory(household__building=building, status="pending")
    return {
        "staff": StaffFactory(),
        "leader": leader,
        "resident": resident,
        "building": building,
        "announcement": announcement,
    }


def pages(data):
    building = data["building"]
    resident = data["resident"].user.phone
    leader = data["leader"].user.phone
    return [
        (f"/c/{building.community_id}/", None),
        ("/accounts/login/", None),
        ("/accounts/register/", None),
        (building.get_absolute_url(), resident),
        (data["announcement"].get_absolute_url(), resident),
        ("/me/", resident),
        ("/me/notifications/", resident),
        (f"/buildings/{building.pk}/requests/", leader),
        (f"/buildings/{building.pk}/residents/", leader),
        (f"/buildings/{building.pk}/todo/", leader),
        (f"/dashboard/c/{building.community_id}/", data["staff"].phone),
    ]


def test_main_pages_are_light_accessible_and_readable(audit, neighbourhood):
    problems = []
    for path, login in pages(neighbourhood):
        weight, serious, font_size, page = audit(path, login=login)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes compressed")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < 16:
            problems.append(f"{path}: body text {font_size}px")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the phone")
    assert problems == [], "\n".join(problems)
