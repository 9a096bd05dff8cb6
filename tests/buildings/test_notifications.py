"""The inbox: who is told what, and each person's choice of what to hear about."""

import pytest
from django.urls import reverse

from buildings.models import Notification, NotificationMute
from buildings.notify import notify
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_building_announcement_tells_residents_of_that_building_only(client, roles):
    client.force_login(roles.leader)
    client.post(
        reverse("buildings:announcement-create", args=[roles.building.pk]),
        {"title": "电梯检修", "body": "周三上午"},
    )
    told = set(
        Notification.objects.filter(kind="announcement").values_list(
            "recipient", flat=True
        )
    )
    assert told == {roles.resident.pk, roles.team.pk}
    assert roles.outsider.pk not in told and roles.pending.pk not in told


def test_community_announcement_tells_every_building(client, roles):
    client.force_login(roles.staff)
    client.post(
        reverse(
            "buildings:community-announcement-create",
            args=[roles.building.community.pk],
        ),
        {"title": "防汛通知", "body": "台风将至"},
    )
    told = set(
        Notification.objects.filter(kind="announcement").values_list(
            "recipient", flat=True
        )
    )
    assert {roles.resident.pk, roles.leader.pk, roles.outsider.pk} <= told
    elsewhere = AccountResidentFactory(household__building=BuildingFactory())
    assert elsewhere.user.pk not in told


def test_muted_kind_is_not_delivered(client, roles):
    client.force_login(roles.resident)
    client.post(reverse("buildings:notification-settings"), {"kinds": ["join_decided"]})
    assert NotificationMute.objects.filter(
        user=roles.resident, kind="announcement"
    ).exists()
    assert notify(recipient=roles.resident, kind="announcement", text="x") is None
    assert notify(recipient=roles.resident, kind="join_decided", text="y") is not None


def test_unread_count_in_the_navigation_and_reading_clears_it(client, roles):
    notify(recipient=roles.resident, kind="announcement", text="电梯检修")
    client.force_login(roles.resident)
    page = client.get(roles.building.get_absolute_url()).content.decode()
    assert 'badge text-bg-danger">1<' in page
    inbox = client.get(reverse("buildings:notifications")).content.decode()
    assert "电梯检修" in inbox
    assert not Notification.objects.filter(
        recipient=roles.resident, read_at__isnull=True
    ).exists()


def test_nobody_reads_another_persons_inbox(client, roles):
    notify(recipient=roles.resident, kind="announcement", text="只给张阿姨")
    client.force_login(roles.leader)
    assert (
        "只给张阿姨"
        not in client.get(reverse("buildings:notifications")).content.decode()
    )


def test_external_senders_get_each_notification(
    settings, django_capture_on_commit_callbacks
):
    settings.LOUZU_NOTIFICATION_SENDERS = [
        "tests.buildings.test_notifications.record_sender"
    ]
    RECORDED.clear()
    user = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind="announcement", text="短信内容")
    assert [n.text for n in RECORDED] == ["短信内容"]


RECORDED = []


def record_sender(notification):
    RECORDED.append(notification)
