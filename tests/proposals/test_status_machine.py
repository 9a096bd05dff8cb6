"""Every allowed and every forbidden status move, through the real service."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buildings.permissions import access_for
from proposals.issues import services, transitions
from proposals.models import Issue, IssueEvent
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

S = Issue.Status
ALLOWED = {
    (S.SUBMITTED, S.ACKNOWLEDGED),
    (S.SUBMITTED, S.DELIBERATING),
    (S.SUBMITTED, S.IN_PROGRESS),
    (S.SUBMITTED, S.RESOLVED),
    (S.SUBMITTED, S.DECLINED),
    (S.ACKNOWLEDGED, S.DELIBERATING),
    (S.ACKNOWLEDGED, S.IN_PROGRESS),
    (S.ACKNOWLEDGED, S.RESOLVED),
    (S.ACKNOWLEDGED, S.DECLINED),
    (S.DELIBERATING, S.IN_PROGRESS),
    (S.DELIBERATING, S.RESOLVED),
    (S.DELIBERATING, S.DECLINED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.DECLINED),
    # backward, each with a reason
    (S.DELIBERATING, S.ACKNOWLEDGED),
    (S.IN_PROGRESS, S.ACKNOWLEDGED),
    (S.IN_PROGRESS, S.DELIBERATING),
    (S.RESOLVED, S.IN_PROGRESS),
    (S.DECLINED, S.ACKNOWLEDGED),
}
NEEDS_REASON = {
    pair for pair in ALLOWED if pair[1] == S.DECLINED
} | transitions.BACKWARD
ALL_PAIRS = list(itertools.product(S.values, S.values))


def make(building, status):
    return IssueFactory(
        building=building,
        status=status,
        resolved_at=timezone.now() if status == S.RESOLVED else None,
    )


def test_table_matches_the_machine():
    for current, target in ALL_PAIRS:
        assert transitions.is_allowed(current, target) == (
            (current, target) in ALLOWED
        ), (current, target)
        if (current, target) in ALLOWED:
            assert transitions.needs_reason(current, target) == (
                (current, target) in NEEDS_REASON
            )


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_every_move_through_the_service(roles, current, target):
    building = roles.building
    issue = make(building, current)
    access = access_for(roles.leader, building)
    if (current, target) not in ALLOWED:
        with pytest.raises(ValidationError):
            services.change_issue_status(
                issue=issue,
                access=access,
                actor=roles.leader,
                to_status=target,
                reason="理由",
            )
        issue.refresh_from_db()
        assert issue.status == current
        assert not IssueEvent.objects.filter(issue=issue).exists()
        return
    if (current, target) in NEEDS_REASON:
        with pytest.raises(ValidationError):
            services.change_issue_status(
                issue=issue, access=access, actor=roles.leader, to_status=target
            )
        issue.refresh_from_db()
        assert issue.status == current
    services.change_issue_status(
        issue=issue,
        access=access,
        actor=roles.leader,
        to_status=target,
        reason="物业下周来修",
    )
    issue.refresh_from_db()
    assert issue.status == target
    assert (issue.resolved_at is not None) == (target == S.RESOLVED)
    event = IssueEvent.objects.get(issue=issue)
    assert (event.from_status, event.to_status, event.actor_role) == (
        current,
        target,
        "leader",
    )
    assert event.is_backward == ((current, target) in transitions.BACKWARD)


def test_first_response_is_measured_once(roles):
    issue = make(roles.building, S.SUBMITTED)
    access = access_for(roles.leader, roles.building)
    services.change_issue_status(
        issue=issue, access=access, actor=roles.leader, to_status=S.ACKNOWLEDGED
    )
    issue.refresh_from_db()
    first = issue.first_response_at
    assert first is not None
    services.change_issue_status(
        issue=issue, access=access, actor=roles.leader, to_status=S.IN_PROGRESS
    )
    issue.refresh_from_db()
    assert issue.first_response_at == first


def test_team_reply_counts_as_first_response(roles):
    issue = make(roles.building, S.SUBMITTED)
    services.comment_on_issue(
        issue=issue,
        access=access_for(roles.team, roles.building),
        author=roles.team,
        text="收到",
        is_supporter=False,
    )
    issue.refresh_from_db()
    assert issue.first_response_at is not None
    assert issue.status == S.SUBMITTED


def test_resident_cannot_move_status_even_through_the_service(roles):
    issue = make(roles.building, S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.change_issue_status(
            issue=issue,
            access=access_for(roles.resident, roles.building),
            actor=roles.resident,
            to_status=S.RESOLVED,
        )
    issue.refresh_from_db()
    assert issue.status == S.SUBMITTED
