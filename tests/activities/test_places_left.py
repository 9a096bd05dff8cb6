"""Places left are one figure: the activity's page shows the places a sign-up can take,
as sign_up decides them. While a party waits for seats it does not fit, the seats free
are kept for it (nobody jumps the queue), so the page says full, not "2 places left"."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import Activity, Registration
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def queue(building):
    """Capacity 4: 2 confirmed, a party of 3 waiting for the 2 seats still free."""
    activity = ActivityFactory(building=building, capacity=4)
    RegistrationFactory(activity=activity, adults=2)
    RegistrationFactory(activity=activity, adults=2, children=1, status="waitlisted")
    return activity


def test_the_page_and_a_sign_up_agree_that_it_is_full(roles, login, queue, building):
    client = login(roles.resident)
    page = client.get(reverse("activities:detail", args=[building.pk, queue.pk]))
    html = page.content.decode()
    assert page.context["seats_left"] == 0
    assert "还剩 2 个名额" not in html
    assert "名额已满：加入候补" in html
    client.post(
        reverse("activities:sign-up", args=[building.pk, queue.pk]),
        {"adults": 1, "children": 0},
    )
    mine = Registration.objects.get(resident__user=roles.resident)
    assert mine.status == "waitlisted"


def test_places_left_is_defined_once(building, queue):
    counted = Activity.objects.with_counts().get(pk=queue.pk)
    assert counted.places_left == 0
    Registration.objects.filter(status="waitlisted").update(status="cancelled")
    assert Activity.objects.with_counts().get(pk=queue.pk).places_left == 2


def test_a_cancelled_activity_shows_no_places_left(roles, login, building):
    activity = ActivityFactory(building=building, capacity=4)
    RegistrationFactory(
        activity=activity,
        resident=AccountResidentFactory(household__building=building),
    )
    services.cancel_activity(activity=activity, by=roles.leader, reason="暴雨预警")
    page = login(roles.resident).get(
        reverse("activities:detail", args=[building.pk, activity.pk])
    )
    html = page.content.decode()
    assert "1 / 4" in html
    assert "还剩 3 个名额" not in html
