"""Issue reports on the building page and on the leader's to-do page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_building_page_flags_overdue_issues(roles, login):
    IssueFactory(
        building=roles.building, created_at=timezone.now() - timedelta(hours=49)
    )
    IssueFactory(building=roles.building)
    page = login(roles.resident).get(roles.building.get_absolute_url()).content.decode()
    assert "2 件处理中" in page
    assert "1 件超过 2 天未回应" in page


def test_leader_todo_counts_unanswered_issues_and_join_requests(roles, login):
    IssueFactory(
        building=roles.building, created_at=timezone.now() - timedelta(hours=49)
    )
    IssueFactory(building=roles.building, first_response_at=timezone.now())
    response = login(roles.leader).get(
        reverse("buildings:todo", args=[roles.building.pk])
    )
    items = {item.label: item.count for item in response.context["items"]}
    assert items["入楼申请"] == 1  # roles.pending
    assert items["等待首次回应的诉求"] == 1
    assert items["其中已超时"] == 1


def test_leader_todo_lists_households_to_reach_and_shifts_nobody_claimed(roles, login):
    from tests.activities.factories import ShiftFactory
    from tests.proposals.deliberation.factories import PollFactory

    poll = PollFactory(proposal__building=roles.building)
    shift = ShiftFactory(task__building=roles.building)
    ShiftFactory(task=shift.task, starts_at=timezone.now() + timedelta(days=30))
    response = login(roles.leader).get(
        reverse("buildings:todo", args=[roles.building.pk])
    )
    items = {item.label: item for item in response.context["items"]}
    households = roles.building.households.count()
    assert items[f"“{poll.proposal.title}”：尚未投票的户数"].count == households
    assert items["未有人认领的志愿值班（未来14天）"].count == 1
    assert shift.task.building == roles.building
