"""Someone who left the app gets no more messages, and their number leaves the outbox; an
SMS already sent to them still counts against the community's monthly budget."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from buildings.models import Notification
from buildings.notify import notify, notify_many
from buildings.privacy import leave
from outbox import services
from outbox.models import Delivery, SmsChoice
from tests.outbox.test_delivery import run_worker, setup_channels

pytestmark = pytest.mark.django_db(transaction=True)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_sms_sent_before_leaving_still_counts_and_keeps_no_number(
    client, roles, delivering, flaky_sms, morning
):
    setup_channels(roles.building, limit=2)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    phone = roles.team.phone
    client.force_login(roles.team)
    data = json.loads(client.get(reverse("buildings:my-data")).content)
    assert data["outbox"] == {"sms_kinds": ["meeting"]}
    notify(recipient=roles.team, kind="meeting", text="周五开会", link="/")
    run_worker()
    assert Delivery.objects.sms_sent_in_month(roles.building.community).count() == 1
    leave(user=roles.team)
    # The budget does not grow back when someone leaves: the SMS was paid for.
    assert Delivery.objects.sms_sent_in_month(roles.building.community).count() == 1
    assert not Delivery.objects.filter(phone=phone).exists()
    assert not Delivery.objects.filter(text__contains="周五开会").exists()
    assert not SmsChoice.objects.filter(user=roles.team).exists()


def test_an_sms_held_for_the_morning_is_not_sent_after_leaving(
    roles, delivering, flaky_sms
):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"shift_reminder"})
    with time_machine.travel(
        datetime(2026, 6, 1, 22, 30, tzinfo=SHANGHAI), tick=False
    ) as clock:
        notify(recipient=roles.team, kind="shift_reminder", text="明早值班", link="/")
        leave(user=roles.team)
        clock.move_to(datetime(2026, 6, 2, 8, 0, tzinfo=SHANGHAI))
        services.release_held()
        run_worker()
    assert flaky_sms.sent == []
    assert not Delivery.objects.filter(channel="sms").exists()


def test_no_message_reaches_someone_who_left(roles, delivering, flaky_sms, morning):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    leave(user=roles.team)
    roles.team.refresh_from_db()
    assert notify(recipient=roles.team, kind="meeting", text="开会", link="/") is None
    told = notify_many(
        recipients=[roles.team, roles.resident], kind="meeting", text="开会", link="/"
    )
    run_worker()
    assert told == 1
    assert not Notification.objects.filter(recipient=roles.team).exists()
    assert flaky_sms.sent == []
