"""A leader cancels an activity with a reason: everyone signed up or waiting is told, the page keeps it."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import Registration
from buildings.models import Notification
from tests.activities.factories import ActivityFactory
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def cancel_url(activity, building=None):
    building_pk = (building or activity.building).pk
    return reverse("activities:cancel-activity", args=[building_pk, activity.pk])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_cancel_an_activity(roles, login, role):
    activity = ActivityFactory(building=roles.building)
    response = login(roles.get(role)).post(
        cancel_url(activity), {"reason": "下雨，改期另行通知"}
    )
    allowed = role in {"leader", "staff"}
    expected = {
        "visitor": 302,
        "outsider": 404,
        "pending": 404,
        "resident": 403,
        "team": 403,
    }.get(role, 302)
    assert response.status_code == expected
    activity.refresh_from_db()
    assert activity.is_cancelled is allowed


def test_only_staff_cancel_a_community_wide_activity(roles, login):
    activity = ActivityFactory(building=None, community=roles.building.community)
    response = login(roles.leader).post(
        cancel_url(activity, roles.building), {"reason": "x"}
    )
    assert response.status_code == 403
    login(roles.staff).post(
        cancel_url(activity, roles.building), {"reason": "场地不能用"}
    )
    activity.refresh_from_db()
    assert activity.cancel_reason == "场地不能用"


def test_everyone_signed_up_or_waiting_is_told_and_sign_ups_stop(roles, login):
    activity = ActivityFactory(building=roles.building, capacity=1)
    people = [
        AccountResidentFactory(household__building=roles.building) for _ in range(3)
    ]
    for resident in people:
        services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    services.cancel_registration(
        registration=activity.registrations.get(resident=people[2]),
        actor=people[2].user,
    )
    Notification.objects.all().delete()
    login(roles.leader).post(cancel_url(activity), {"reason": "下雨，改期另行通知"})
    told = Notification.objects.filter(kind="activity_cancelled")
    assert {n.recipient_id for n in told} == {people[0].user_id, people[1].user_id}
    assert all("下雨" in n.text for n in told)
    # sign-ups are kept as they were
    assert (
        activity.registrations.filter(status=Registration.Status.CONFIRMED).count() == 1
    )
    client = login(roles.resident)
    page = client.get(activity.url_in(roles.building.pk)).content.decode()
    assert "下雨，改期另行通知" in page and "已取消" in page
    client.post(
        reverse("activities:sign-up", args=[roles.building.pk, activity.pk]),
        {"adults": 1, "children": 0},
    )
    assert not activity.registrations.filter(resident__user=roles.resident).exists()
    listing = client.get(reverse("activities:index", args=[roles.building.pk]))
    assert "已取消" in listing.content.decode()


def test_cancelling_twice_or_without_reason_changes_nothing(roles, login):
    activity = ActivityFactory(building=roles.building)
    client = login(roles.leader)
    response = client.post(cancel_url(activity), {"reason": "  "})
    assert response.status_code == 200
    activity.refresh_from_db()
    assert not activity.is_cancelled
    client.post(cancel_url(activity), {"reason": "第一次"})
    client.post(cancel_url(activity), {"reason": "第二次"})
    activity.refresh_from_db()
    assert activity.cancel_reason == "第一次"


def test_a_community_wide_activity_tells_each_in_their_own_building(roles):
    activity = ActivityFactory(building=None, community=roles.building.community)
    other = BuildingFactory(community=roles.building.community)
    here = AccountResidentFactory(household__building=roles.building)
    there = AccountResidentFactory(household__building=other)
    for resident in (here, there):
        services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    services.cancel_activity(activity=activity, by=roles.staff, reason="场地维修")
    links = dict(
        Notification.objects.filter(kind="activity_cancelled").values_list(
            "recipient_id", "link"
        )
    )
    assert links[here.user_id] == activity.url_in(roles.building.pk)
    assert links[there.user_id] == activity.url_in(other.pk)


def test_a_cancelled_activity_is_not_edited_and_nobody_is_told_it_moved(roles, login):
    """After "cancelled", a "changed" notice would contradict it: the edit is refused,
    from the form and in the service (cancelled while the form was open)."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    activity = ActivityFactory(building=roles.building)
    person = AccountResidentFactory(household__building=roles.building)
    services.sign_up(activity=activity, resident=person, adults=1, children=0)
    client = login(roles.leader)
    client.post(cancel_url(activity), {"reason": "下雨"})
    edit = reverse("activities:edit", args=[roles.building.pk, activity.pk])
    Notification.objects.all().delete()
    page = client.get(edit, follow=True)
    assert page.redirect_chain and "已取消" in page.content.decode()
    starts = activity.starts_at
    later = timezone.localtime(starts + timezone.timedelta(days=1))
    client.post(
        edit,
        {
            "kind": activity.kind,
            "title": activity.title,
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (later + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "别处",
            "capacity": activity.capacity,
            "reason": "改期",
        },
    )
    activity.refresh_from_db()
    assert activity.starts_at == starts and activity.place != "别处"
    assert not Notification.objects.exists()
    with pytest.raises(ValidationError):
        services.update_activity(activity=activity, actor=roles.leader, place="别处")
