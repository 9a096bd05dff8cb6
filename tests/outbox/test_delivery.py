"""Notifications reach people outside the app, through the task worker."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from buildings.models import Resident, User
from buildings.notify import At, Message, notify, notify_many
from core.sms import SmsError
from outbox import services
from outbox.models import Delivery, ScheduledRun, SmsBudget, WecomRobot
from outbox.schedule import queue_due_jobs
from tests.factories import AccountResidentFactory
from tests.outbox.conftest import ROBOT_URL
from tests.proposals.deliberation.factories import PollFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_worker():
    """What `manage.py worker` does with every task that is due, then stop."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def setup_channels(building, limit=100):
    SmsBudget.objects.create(community=building.community, monthly_limit=limit)
    WecomRobot.objects.create(building=building, webhook_url=ROBOT_URL)


def test_vote_reminder_by_sms_and_wecom_through_the_worker_with_retries(
    roles, delivering, flaky_sms, wecom, morning
):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"poll_closing"})
    poll = PollFactory(
        proposal__building=roles.building,
        question="加装电梯",
        closes_at=datetime(2026, 6, 2, 9, 0, tzinfo=SHANGHAI),  # due for its reminder
    )
    flaky_sms.failures = 2  # the provider is busy twice, then accepts
    wecom.answers = [45009, 45009]  # WeCom rate-limits twice, then accepts

    assert "close_due_polls" in queue_due_jobs()
    run_worker()  # the reminder job, then each delivery's first attempt

    sms = Delivery.objects.get(channel="sms")
    group = Delivery.objects.get(channel="wecom")
    assert sms.notification.recipient == roles.team
    assert (sms.status, sms.attempts) == ("pending", 1)
    assert (group.status, group.attempts) == ("pending", 1)
    assert "[Throttling]" in sms.last_error and "45009" in group.last_error

    run_worker()  # the retries wait: nothing is due yet
    assert Delivery.objects.get(pk=sms.pk).attempts == 1

    morning.shift(timedelta(seconds=31))
    run_worker()
    morning.shift(timedelta(seconds=61))
    run_worker()

    sms.refresh_from_db()
    group.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 3)
    assert (group.status, group.attempts) == ("sent", 3)
    assert sms.sent_at is not None and group.sent_at is not None
    [(phone, text)] = flaky_sms.sent
    assert phone == roles.team.phone
    assert "加装电梯" in text and "https://louzu.example/" in text
    group_text = wecom.texts()[-1]
    assert "加装电梯" in group_text
    assert f"https://louzu.example{poll.get_absolute_url()}" in group_text
    assert all(
        path.endswith("key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")
        for path, _ in wecom.received
    )
    # Only who chose SMS for this kind gets one; the group gets one post, not one per person.
    assert Delivery.objects.filter(channel="sms").count() == 1
    assert Delivery.objects.filter(channel="wecom").count() == 1


def test_provider_errors_fail_with_their_reason_and_are_logged(
    roles, delivering, flaky_sms, wecom, morning, caplog
):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    wecom.answers = [93000]  # WeCom: this robot address does not exist
    flaky_sms.error = SmsError(
        "模板未审核", code="isv.SMS_TEMPLATE_ILLEGAL", retryable=False
    )
    caplog.set_level(logging.WARNING)

    services.queue_group_post(roles.building, kind="test", text="试一下")
    notify(recipient=roles.team, kind="meeting", text="开会", link="/")
    run_worker()

    group = Delivery.objects.get(channel="wecom")
    sms = Delivery.objects.get(channel="sms")
    assert (group.status, group.attempts) == ("failed", 1)  # not worth retrying
    assert "93000" in group.last_error
    assert (sms.status, sms.attempts) == ("failed", 1)
    assert (
        "模板未审核" in sms.last_error and "isv.SMS_TEMPLATE_ILLEGAL" in sms.last_error
    )
    logged = caplog.text
    assert "93000" in logged and "isv.SMS_TEMPLATE_ILLEGAL" in logged


def test_retries_stop_after_the_last_attempt(roles, delivering, flaky_sms, morning):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    flaky_sms.failures = 99
    notify(recipient=roles.team, kind="meeting", text="开会", link="/")
    for attempt in range(services.MAX_ATTEMPTS):
        run_worker()
        morning.shift(services.retry_delay(attempt + 1) + timedelta(seconds=1))
    run_worker()
    sms = Delivery.objects.get(channel="sms")
    assert (sms.status, sms.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert flaky_sms.calls == services.MAX_ATTEMPTS


def test_back_off_doubles():
    assert [services.retry_delay(n).seconds for n in (1, 2, 3, 4)] == [10, 20, 40, 80]


def test_no_sms_in_quiet_hours_until_the_morning(roles, delivering, flaky_sms):
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"shift_reminder"})
    with time_machine.travel(
        datetime(2026, 6, 1, 22, 30, tzinfo=SHANGHAI), tick=False
    ) as clock:
        notify(recipient=roles.team, kind="shift_reminder", text="明早值班", link="/")
        run_worker()
        sms = Delivery.objects.get(channel="sms")
        assert sms.status == "held" and not flaky_sms.sent
        clock.move_to(datetime(2026, 6, 2, 7, 59, tzinfo=SHANGHAI))
        assert services.release_held() == 0
        clock.move_to(datetime(2026, 6, 2, 8, 0, tzinfo=SHANGHAI))
        assert services.release_held() == 1
        run_worker()
    sms.refresh_from_db()
    assert sms.status == "sent" and len(flaky_sms.sent) == 1


def test_urgent_kinds_are_sent_in_quiet_hours(roles, delivering, flaky_sms, settings):
    settings.LOUZU_SMS_URGENT_KINDS = ["meeting"]
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    with time_machine.travel(datetime(2026, 6, 1, 23, 0, tzinfo=SHANGHAI), tick=False):
        notify(recipient=roles.team, kind="meeting", text="紧急会议", link="/")
        run_worker()
    assert Delivery.objects.get(channel="sms").status == "sent"


def test_monthly_sms_budget(roles, delivering, flaky_sms, morning):
    setup_channels(roles.building, limit=1)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    notify(recipient=roles.team, kind="meeting", text="一", link="/")
    notify(recipient=roles.team, kind="meeting", text="二", link="/")
    run_worker()
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["failed", "sent"] and len(flaky_sms.sent) == 1
    with translation.override("zh-hans"):
        used_up = gettext(
            "The community's monthly SMS budget (%(limit)s) is used up."
        ) % {"limit": 1}
    assert Delivery.objects.get(status="failed").last_error == used_up
    morning.move_to(datetime(2026, 7, 1, 10, 0, tzinfo=SHANGHAI))  # a new month
    notify(recipient=roles.team, kind="meeting", text="三", link="/")
    run_worker()
    assert len(flaky_sms.sent) == 2


def test_inbox_only_by_default_and_no_robot_no_post(
    roles, delivering, flaky_sms, morning
):
    SmsBudget.objects.create(community=roles.building.community, monthly_limit=100)
    poll = PollFactory(proposal__building=roles.building)
    notify(
        recipient=roles.team,
        kind="poll_closing",
        text="快投票",
        link=poll.get_absolute_url(),
    )
    run_worker()
    assert not Delivery.objects.exists()
    assert roles.team.notifications.filter(kind="poll_closing").exists()


def test_periodic_jobs_are_queued_once_per_period(db):
    with time_machine.travel(
        datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False
    ) as clock:
        first = queue_due_jobs()
        assert set(first) == {
            "close_due_polls",
            "send_held_sms",
            "escalate_overdue",
            "remind_shifts",
            "check_ledger",
            "post_statements",
            "compute_dashboards",
            "forget_submissions",
        }
        assert queue_due_jobs() == []
        clock.shift(timedelta(minutes=1))
        assert set(queue_due_jobs()) == {"close_due_polls", "send_held_sms"}
        run_worker()
    assert ScheduledRun.objects.count() == 8
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 10


def test_new_activity_is_posted_to_the_building_group(
    roles, delivering, wecom, morning
):
    from tests.activities.factories import ActivityFactory

    setup_channels(roles.building)
    ActivityFactory(building=roles.building, title="楼道大扫除")
    run_worker()
    [group] = Delivery.objects.filter(channel="wecom")
    assert group.status == "sent" and "楼道大扫除" in wecom.texts()[0]


def test_moving_out_stops_sms(roles, delivering, flaky_sms, morning):
    """A person in no building has no community to pay for their SMS."""
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.team, wanted={"meeting"})
    Resident.objects.filter(user=roles.team).delete()
    notify(recipient=roles.team, kind="meeting", text="开会", link="/")
    run_worker()
    assert Delivery.objects.get().status == "failed" and not flaky_sms.sent


def test_several_households_one_group_post(roles, delivering, wecom, morning):
    setup_channels(roles.building)
    AccountResidentFactory(household__building=roles.building)
    poll = PollFactory(
        proposal__building=roles.building,
        closes_at=datetime(2026, 6, 2, 9, 0, tzinfo=SHANGHAI),
    )
    call_command("close_due_polls")
    run_worker()
    assert len(wecom.received) == 1 and poll.question in wecom.texts()[0]


def test_last_months_statement_is_posted_once(roles, delivering, wecom):
    from tests.funds.factories import FundFactory

    setup_channels(roles.building)
    FundFactory(building=roles.building)
    with time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        call_command("post_statements")
        call_command("post_statements")
        run_worker()
    [text] = wecom.texts()
    assert "2026-06-01 – 2026-06-30" in text
    assert f"/buildings/{roles.building.pk}/fund/statement/?start=2026-06-01" in text
    assert Delivery.objects.get(kind="statement").status == "sent"


def test_announcement_reaches_the_group_in_the_copy_box_words(
    roles, delivering, wecom, morning, client
):
    from buildings.services import post_announcement

    setup_channels(roles.building)
    announcement = post_announcement(
        author=roles.leader,
        community=roles.building.community,
        building=roles.building,
        title="停水通知",
        body="明天上午九点到十二点停水。",
    )
    run_worker()
    client.force_login(roles.resident)
    page = client.get(announcement.get_absolute_url())
    assert wecom.texts() == [page.context["wechat_text"]]


def test_one_look_per_message_not_per_resident(
    roles, delivering, wecom, morning, django_assert_num_queries
):
    from buildings.notify import notify_many
    from outbox.group_posts import queue_for_notification

    setup_channels(roles.building)
    poll = PollFactory(proposal__building=roles.building)
    residents = [roles.resident, roles.team, roles.leader]
    notify_many(
        recipients=residents,
        kind="poll_open",
        text="投票",
        link=poll.get_absolute_url(),
    )
    assert Delivery.objects.filter(channel="wecom").count() == 1
    later = roles.resident.notifications.get(kind="poll_open")
    with django_assert_num_queries(0):
        assert queue_for_notification(later) == 0


def test_each_sms_is_in_the_language_its_reader_chose(
    roles, delivering, flaky_sms, morning
):
    SmsBudget.objects.create(community=roles.building.community, monthly_limit=100)
    User.objects.filter(pk=roles.team.pk).update(language="en")
    for user in (roles.team, roles.resident):
        services.set_sms_choices(user=user, wanted={"meeting"})
    with translation.override("zh-hans"):  # the leader calls the meeting in Chinese
        notify_many(
            recipients=[roles.team, roles.resident],
            kind="meeting",
            text=Message(
                "Council meeting %(when)s at %(place)s: %(title)s",
                when=At(datetime(2026, 6, 3, 19, 0, tzinfo=SHANGHAI)),
                place="活动室",
                title="电梯",
            ),
            link="/",
        )
    run_worker()
    sent = dict(flaky_sms.sent)
    assert sent[roles.team.phone].startswith("Council meeting ")
    assert "活动室" in sent[roles.team.phone]
    assert "Council meeting" not in sent[roles.resident.phone]
    assert "活动室" in sent[roles.resident.phone]


def test_a_vote_reminder_reaches_sms_and_group_within_a_minute_of_being_due(
    roles, delivering, flaky_sms, wecom
):
    """The worst case: the schedule queued its jobs a second before the reminder fell due,
    and the SMS provider and WeCom each fail twice. The worker's loop is played second by
    second: the schedule looks every 5 s, the queue is worked every second."""
    due = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)  # a day before the poll closes
    setup_channels(roles.building)
    services.set_sms_choices(user=roles.resident, wanted={"poll_closing"})
    flaky_sms.failures = 2
    wecom.answers = [45009, 45009]
    with time_machine.travel(due - timedelta(seconds=1), tick=False) as clock:
        PollFactory(
            proposal__building=roles.building,
            question="加装电梯",
            closes_at=due + timedelta(hours=24),
        )
        queue_due_jobs()  # the reminder is not due yet
        run_worker()
        assert not Delivery.objects.exists()
        for second in range(120):
            clock.shift(timedelta(seconds=1))
            if second % 5 == 0:
                queue_due_jobs()
            run_worker()
            if Delivery.objects.filter(status="sent").count() == 2:
                break
    sms = Delivery.objects.get(channel="sms")
    group = Delivery.objects.get(channel="wecom")
    assert (sms.status, sms.attempts) == ("sent", 3)
    assert (group.status, group.attempts) == ("sent", 3)
    assert sms.sent_at - due <= timedelta(minutes=1)
    assert group.sent_at - due <= timedelta(minutes=1)
    assert flaky_sms.sent[0][0] == roles.resident.phone
    assert "加装电梯" in wecom.texts()[-1]


def test_the_robot_page_says_why_a_post_failed_in_the_readers_language(
    roles, delivering, wecom, morning, login
):
    setup_channels(roles.building)
    wecom.answers = [93000]  # WeCom: this robot address does not exist
    services.queue_group_post(roles.building, kind="test", text="试一下")
    with translation.override("zh-hans"):  # the worker writes in the default language
        run_worker()
    group = Delivery.objects.get(channel="wecom")
    assert "企业微信" in group.last_error  # as written, for the admin's search
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("outbox:wecom", args=[roles.building.pk]))
    text = page.content.decode()
    assert "[93000] WeCom does not know this robot address (error 93000)" in text
    assert "企业微信不" not in text and "地址" not in text
