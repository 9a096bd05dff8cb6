"""LOUZU_TASKS=rq: the same deliveries and retries on a Redis queue (RQ), for real.

Runs against the Redis on 127.0.0.1:6379, skipped, saying so, when there is none (CI starts
one and allows no skips). Each test claims one of the databases 10-15 that no other test run
on the machine holds (a key set only if absent), empties it, and empties it again at the end,
which also gives the claim back: two test runs at once (SQLite and PostgreSQL, or two
checkouts) never empty each other's queue. The module's tests run in one xdist worker.
"""

import os
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from buildings.notify import notify
from outbox import services
from outbox.models import Delivery, SmsBudget, WecomRobot
from outbox.schedule import queue_due_jobs
from tests.outbox.conftest import ROBOT_URL
from tests.proposals.deliberation.factories import PollFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
REDIS_DATABASES = range(10, 16)
CLAIM = "louzu:claimed-by-test-run"


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def claim_a_database() -> str:
    """The URL of a Redis database no other test run holds, now held by this one (for at
    most 10 minutes, should the run die without giving it back)."""
    from redis import Redis

    for number in REDIS_DATABASES:
        url = f"redis://127.0.0.1:6379/{number}"
        with Redis.from_url(url) as redis:
            if redis.set(CLAIM, os.getpid(), nx=True, ex=600):
                return url
    pytest.fail(f"Redis databases {REDIS_DATABASES} are all held by other test runs")


@pytest.fixture
def on_redis(settings, delivering):
    if not redis_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    import django_rq

    url = claim_a_database()
    settings.LOUZU_TASKS = "rq"
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    connection = django_rq.get_connection("default")
    connection.flushdb()
    connection.set(CLAIM, os.getpid(), ex=600)  # still ours
    yield connection
    connection.flushdb()  # and the claim with it


def run_rq_worker():
    """What `manage.py worker` runs with LOUZU_TASKS=rq (RQ's worker and scheduler),
    in this process (no fork, so it sees the test database) and until the queue is empty."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True, with_scheduler=True)


def debug(redis):
    keys = sorted(k.decode() for k in redis.keys())
    return (
        keys,
        {k: redis.ttl(k) for k in keys if k.startswith("rq:job:")},
        redis.zrange("rq:scheduled:default", 0, -1, withscores=True),
    )


@pytest.fixture
def morning():
    with time_machine.travel(
        datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False
    ) as clock:
        yield clock


def test_settings_switch_puts_the_queue_on_redis(on_redis):
    from django_tasks import task_backends
    from django_tasks_rq import RQBackend

    assert isinstance(task_backends["default"], RQBackend)
    services.enqueue(12345)  # no such delivery: the worker skips it
    assert on_redis.llen("rq:queue:default") == 1
    run_rq_worker()
    assert on_redis.llen("rq:queue:default") == 0


def test_vote_reminder_through_redis_with_retries(
    roles, on_redis, flaky_sms, wecom, morning
):
    SmsBudget.objects.create(community=roles.building.community, monthly_limit=100)
    WecomRobot.objects.create(building=roles.building, webhook_url=ROBOT_URL)
    services.set_sms_choices(user=roles.team, wanted={"poll_closing"})
    PollFactory(
        proposal__building=roles.building,
        question="加装电梯",
        closes_at=datetime(2026, 6, 2, 9, 0, tzinfo=SHANGHAI),  # due for its reminder
    )
    flaky_sms.failures = 2
    wecom.answers = [45009, 45009]

    assert "close_due_polls" in queue_due_jobs()
    assert (
        on_redis.llen("rq:queue:default") >= 1
    )  # the jobs wait in Redis, not the database
    run_rq_worker()  # the reminder job, then each delivery's first attempt

    sms = Delivery.objects.get(channel="sms")
    group = Delivery.objects.get(channel="wecom")
    assert (sms.status, sms.attempts) == ("pending", 1)
    assert (group.status, group.attempts) == ("pending", 1)
    # The retries wait in RQ's scheduled registry until they are due.
    assert on_redis.zcard("rq:scheduled:default") == 2, debug(on_redis)
    run_rq_worker()
    assert Delivery.objects.get(pk=sms.pk).attempts == 1

    morning.shift(services.retry_delay(1) + timedelta(seconds=1))
    run_rq_worker()
    morning.shift(services.retry_delay(2) + timedelta(seconds=1))
    run_rq_worker()

    sms.refresh_from_db()
    group.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 3), debug(on_redis)
    assert (group.status, group.attempts) == ("sent", 3)
    [(phone, text)] = flaky_sms.sent
    assert phone == roles.team.phone and "加装电梯" in text
    assert "加装电梯" in wecom.texts()[-1]


def test_a_notification_is_recorded_once_sent_through_redis(
    roles, on_redis, flaky_sms, morning
):
    SmsBudget.objects.create(community=roles.building.community, monthly_limit=100)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    notify(recipient=roles.team, kind="meeting", text="开会", link="/")
    assert Delivery.objects.get().status == "pending"
    run_rq_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert flaky_sms.sent == [(roles.team.phone, "开会 https://louzu.example/")]


def test_worker_command_runs_rq_with_its_scheduler(on_redis, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "outbox.management.commands.worker.call_command",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    call_command("worker", "--no-schedule")
    [(args, kwargs)] = calls
    assert args == ("rqworker", "default")
    assert kwargs["job_class"] == "django_tasks_rq.Job" and kwargs["with_scheduler"]
