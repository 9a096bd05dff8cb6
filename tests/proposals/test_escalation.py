"""Unanswered issues are escalated to branch staff once, and stay listed until handled."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from buildings.models import Notification
from proposals.issues.services import escalate_overdue_issues
from tests.factories import StaffFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_overdue_issue_is_escalated_once_to_its_community_and_town_staff(roles):
    issue = IssueFactory(building=roles.building, title="大堂铁门坏了")
    with time_machine.travel(timezone.now() + timedelta(hours=47)):
        assert escalate_overdue_issues() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert escalate_overdue_issues() == 1
        assert escalate_overdue_issues() == 0
    issue.refresh_from_db()
    assert issue.escalated_at is not None
    told = Notification.objects.filter(kind="issue_overdue")
    # The community's staff and the town's; not the staff of another community.
    assert set(told.values_list("recipient", flat=True)) == {
        roles.staff.pk,
        roles.town_staff.pk,
    }
    assert "大堂铁门坏了" in told.filter(recipient=roles.staff).get().text
    assert not Notification.objects.filter(
        kind="issue_overdue", recipient=roles.leader
    ).exists()


def test_answered_issue_is_not_escalated(roles):
    IssueFactory(building=roles.building, first_response_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert escalate_overdue_issues() == 0


def test_escalated_issue_stays_on_the_staff_list_until_answered(client, roles):
    issue = IssueFactory(building=roles.building, title="楼道堆物")
    StaffFactory()
    with time_machine.travel(timezone.now() + timedelta(hours=50)):
        call_command("escalate_overdue", stdout=open("/dev/null", "w"))
        client.force_login(roles.staff)
        url = reverse("proposals:issues-overdue", args=[roles.building.pk])
        assert "楼道堆物" in client.get(url).content.decode()
        issue.first_response_at = timezone.now()
        issue.save(update_fields=["first_response_at"])
        assert "楼道堆物" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("hours", "zh", "en"),
    [
        (48, "2 天", "2 days"),
        (72, "3 天", "3 days"),
        (24, "1 天", "a day"),
        (1, "1 小时", "an hour"),
        (5, "5 小时", "5 hours"),
    ],
)
def test_the_staff_notice_says_the_deadline_in_days_in_each_readers_language(
    roles, settings, hours, zh, en
):
    from django.utils import translation

    from buildings.wording import render

    settings.LOUZU_ISSUE_RESPONSE_HOURS = hours
    IssueFactory(building=roles.building, title="大堂铁门坏了")
    with time_machine.travel(timezone.now() + timedelta(hours=hours + 1)):
        assert escalate_overdue_issues() == 1
    told = Notification.objects.filter(kind="issue_overdue", recipient=roles.staff)
    stored = told.get().message
    with translation.override("zh-hans"):
        assert zh in render(stored)
        if hours % 24 == 0:  # whole days are said in days, never "72 小时"
            assert "小时" not in render(stored)
    with translation.override("en"):
        assert f"No response for {en}:" in render(stored)
