"""At phone size: sign up -> full -> a neighbour waits -> the first cancels -> the neighbour is promoted and told."""

import pytest

from activities.models import Registration
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.browser.conftest import PAGE_WEIGHT_LIMIT
from tests.browser.helpers import fits_the_phone, log_in
from tests.factories import AccountResidentFactory, BuildingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_waiting_list_journey(phone, new_phone):
    building = BuildingFactory(is_pilot=True)
    first = AccountResidentFactory(household__building=building, name="张阿姨")
    second = AccountResidentFactory(household__building=building, name="陈小明")
    activity = ActivityFactory(building=building, title="一尺花园亲子种花", capacity=2)
    url = f"/buildings/{building.pk}/activities/{activity.pk}/"

    # The first resident finds the activity from the bottom bar and signs up with a child.
    log_in(phone, first.user.phone)
    phone.goto(f"/buildings/{building.pk}/")
    phone.click(".bottom-nav a[href$='/activities/']")
    phone.click(f"a[href='{url}']")
    phone.fill("input[name=children]", "1")
    phone.click("form[action$='/sign-up/'] button[type=submit]")
    assert phone.locator(".signup-card .badge.status-confirmed").is_visible()
    assert "2 / 2" in phone.locator(".capacity").inner_text()
    # Nothing is wider than the phone.
    assert fits_the_phone(phone)

    # The second resident sees it is full and joins the waiting list.
    other = new_phone()
    log_in(other, second.user.phone)
    other.goto(url)
    button = other.locator("form[action$='/sign-up/'] button[type=submit]")
    assert button.is_visible()
    button.click()
    assert other.locator(".signup-card .badge.status-waitlisted").is_visible()
    assert "1" in other.locator(".signup-card").inner_text()
    assert Registration.objects.get(resident=second).status == "waitlisted"

    # The first cancels (confirming the dialog).
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("form[action*='/cancel/'] button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("form[action$='/sign-up/']").is_visible()

    # The second is promoted and told.
    other.goto(url)
    assert other.locator(".signup-card .badge.status-confirmed").is_visible()
    assert other.locator(".topbar .badge").inner_text() == "1"
    other.click(".topbar a[href='/me/notifications/']")
    other.wait_for_url("**/me/notifications/")  # is_visible() does not wait
    notice = other.locator(".list-group-item", has_text="一尺花园亲子种花")
    assert notice.is_visible()
    notice.click()
    assert other.url.endswith(url)


def test_activity_pages_are_light_accessible_and_readable(audit):

    leader = AccountResidentFactory(role="leader", household__building__is_pilot=True)
    building = leader.household.building
    resident = AccountResidentFactory(household__building=building)
    activity = ActivityFactory(
        building=building, capacity=3, max_adults_per_household=1
    )
    for _i in range(3):
        RegistrationFactory(activity=activity)
    RegistrationFactory(activity=activity, resident=resident, status="waitlisted")
    task = TaskFactory(building=building)
    ShiftFactory(task=task)
    ShiftFactory(task=task, volunteer=resident, swap_wanted=True)
    base = f"/buildings/{building.pk}"
    pages = [
        (f"{base}/activities/", resident),
        (f"{base}/activities/{activity.pk}/", resident),
        (f"{base}/activities/new/", leader),
        (f"{base}/activities/{activity.pk}/roster/", leader),
        (f"{base}/activities/{activity.pk}/sheet/", leader),
        (f"{base}/volunteer/", resident),
        (f"{base}/volunteer/{task.pk}/", leader),
        (f"{base}/volunteer/hours/", resident),
    ]
    problems = []
    for path, who in pages:
        weight, serious, font_size, page = audit(path, login=who.user.phone)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes compressed")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < 16:
            problems.append(f"{path}: body text {font_size}px")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the phone")
    assert problems == [], "\n".join(problems)
