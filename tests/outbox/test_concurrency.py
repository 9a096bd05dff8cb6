"""A building's WeCom robot under concurrent saves, and last month's statement posted by
two runs at once, proven on PostgreSQL (docs/architecture.md, "Concurrency guards").

Several leaders set up (or remove) the robot at once: each read "no robot yet" and
inserted one, and all but the first hit the one-robot-per-building key (500s). Saving
now locks the building row and reads the robot again under it; the twin, with the lock
switched off, must still show the 500s.
"""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from outbox.models import Delivery, WecomRobot
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.funds.factories import FundFactory
from tests.outbox.test_delivery import SHANGHAI

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

N = 12
WEBHOOK = (
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
    "?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
)


def robot_storm(building):
    """Twelve leaders save the robot at once; every fourth removes it instead."""
    clients = []
    for _ in range(N):
        leader = AccountResidentFactory(household__building=building, role="leader")
        # Each answer is read from its status code (a 500 is not raised in the test).
        client = Client(raise_request_exception=False)
        client.force_login(leader.user)
        clients.append(client)
    url = reverse("outbox:wecom", args=[building.pk])

    def post(i):
        data = {"webhook_url": "" if i % 4 == 3 else WEBHOOK, "is_active": "on"}
        return clients[i].post(url, data).status_code

    return storm(N, post)


def test_leaders_saving_the_robot_at_once_each_get_an_answer(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    building = BuildingFactory()
    codes, errors = robot_storm(building)
    assert errors == []
    assert set(codes) == {302}
    assert WecomRobot.objects.filter(building=building).count() <= 1


def test_twin_saving_the_robot_without_the_lock_fails(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    building = BuildingFactory()
    codes, errors = robot_storm(building)
    assert 500 in codes, "without the lock the race must show"


# --- Last month's statement: the schedule's run and "queue now" at once ----------------


def statement_storm(settings):
    """Four runs of post_statements at once, in a building with a robot and a fund."""
    settings.LOUZU_RACE_PAUSE = 0.1
    building = BuildingFactory()
    WecomRobot.objects.create(building=building, webhook_url=WEBHOOK)
    FundFactory(building=building)

    def post(i):
        with time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI)):
            call_command("post_statements", stdout=open("/dev/null", "w"))

    return storm(4, post)


def test_two_runs_at_once_post_the_statement_once(settings):
    results, errors = statement_storm(settings)
    assert errors == []
    assert Delivery.objects.filter(kind="statement").count() == 1


def test_twin_two_runs_without_the_lock_post_it_twice(settings):
    settings.LOUZU_GUARDS_OFF = True
    statement_storm(settings)
    assert Delivery.objects.filter(kind="statement").count() > 1
