from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from outbox import group_posts
from tests.outbox.standins import FlakySmsBackend, WecomStandIn

ROBOT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def wecom(settings):
    stand_in = WecomStandIn()
    settings.LOUZU_WECOM_BASE_URL = stand_in.url
    yield stand_in
    stand_in.close()


@pytest.fixture
def flaky_sms(settings):
    settings.LOUZU_SMS_BACKEND = "tests.outbox.standins.FlakySmsBackend"
    FlakySmsBackend.reset()
    return FlakySmsBackend


@pytest.fixture
def delivering(settings):
    """Notifications leave through the outbox, on the database queue."""
    settings.LOUZU_NOTIFICATION_SENDERS = [
        "outbox.services.queue_notification",
        "outbox.group_posts.queue_for_notification",
    ]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = "https://louzu.example"
    group_posts._recent.clear()


@pytest.fixture
def morning():
    """10:00 in Shanghai on a June day: outside quiet hours, SMS go out at once."""
    with time_machine.travel(
        datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ) as clock:
        yield clock
