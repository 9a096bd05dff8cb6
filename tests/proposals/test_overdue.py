"""Every issue gets a response: overdue after LOUZU_ISSUE_RESPONSE_HOURS, with the clock moved."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from buildings.permissions import access_for
from proposals.issues import services
from proposals.models import Issue
from tests.factories import BuildingFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def test_overdue_after_48_hours_without_response(roles):
    with time_machine.travel(MONDAY_9, tick=False):
        issue = IssueFactory(building=roles.building)
    with time_machine.travel(MONDAY_9 + timedelta(hours=47, minutes=59), tick=False):
        assert not issue.is_overdue
        assert not Issue.objects.overdue().exists()
    with time_machine.travel(MONDAY_9 + timedelta(hours=48), tick=False):
        assert issue.is_overdue
        assert list(Issue.objects.overdue()) == [issue]


def test_the_setting_moves_the_deadline(roles, settings):
    settings.LOUZU_ISSUE_RESPONSE_HOURS = 24
    with time_machine.travel(MONDAY_9, tick=False):
        issue = IssueFactory(building=roles.building)
    with time_machine.travel(MONDAY_9 + timedelta(hours=25), tick=False):
        assert issue.is_overdue and Issue.objects.overdue().count() == 1


def test_a_response_or_closing_clears_the_flag(roles):
    with time_machine.travel(MONDAY_9, tick=False):
        answered = IssueFactory(building=roles.building)
        IssueFactory(building=roles.building, status="declined")
    with time_machine.travel(MONDAY_9 + timedelta(hours=30), tick=False):
        services.change_issue_status(
            issue=answered,
            access=access_for(roles.leader, roles.building),
            actor=roles.leader,
            to_status="acknowledged",
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=72), tick=False):
        assert not Issue.objects.overdue().exists()
        answered.refresh_from_db()
        assert answered.response_hours == 30.0


def test_flagged_on_the_building_pages_and_on_the_staff_list(roles, login, grant):
    other_building = BuildingFactory(community=roles.building.community)
    with time_machine.travel(MONDAY_9, tick=False):
        late = IssueFactory(building=roles.building, title="没人理的铁门")
        late_elsewhere = IssueFactory(building=other_building, title="隔壁楼没人理")
    with time_machine.travel(MONDAY_9 + timedelta(hours=40), tick=False):
        IssueFactory(building=roles.building, title="刚报的")
    with time_machine.travel(MONDAY_9 + timedelta(hours=50), tick=False):
        client = login(roles.resident)
        listing = client.get(reverse("proposals:issues", args=[roles.building.pk]))
        assert listing.context["overdue_count"] == 1
        only_overdue = client.get(
            reverse("proposals:issues", args=[roles.building.pk]) + "?status=overdue"
        )
        assert [i.title for i in only_overdue.context["page"]] == ["没人理的铁门"]
        hub = client.get(reverse("proposals:issues-hub", args=[roles.building.pk]))
        assert hub.context["overdue_count"] == 1
        detail = client.get(late.get_absolute_url()).content.decode()
        assert 'class="badge overdue' in detail
        staff_list = login(roles.staff).get(
            reverse("proposals:issues-overdue", args=[roles.building.pk])
        )
        assert {i.title for i in staff_list.context["page"]} == {
            late.title,
            late_elsewhere.title,
        }
        admin = login(grant(roles.staff, "proposals.view_issue")).get(
            reverse("admin:proposals_issue_changelist") + "?response=overdue"
        )
        assert {i.title for i in admin.context["cl"].result_list} == {
            late.title,
            late_elsewhere.title,
        }
