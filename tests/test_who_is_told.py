"""Who gets which notification, for each event, and who must not (issue 7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services as activities
from buildings.models import Notification, Resident
from buildings.permissions import access_for
from buildings.services import decide_join_request
from proposals.deliberation.polls import services as poll_services
from proposals.issues import services as issues
from tests.activities.factories import ActivityFactory, ShiftFactory
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import PollFactory, ProposalFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def told(kind):
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def test_issue_news_reaches_reporter_and_supporters_only(roles):
    reporter = Resident.objects.get(user=roles.resident)
    issue = IssueFactory(building=roles.building, reporter=reporter)
    supporter = AccountResidentFactory(household__building=roles.building)
    bystander = AccountResidentFactory(household__building=roles.building)
    issues.support_issue(issue=issue, resident=supporter)
    leader_access = access_for(roles.leader, roles.building)
    issues.change_issue_status(
        issue=issue, access=leader_access, actor=roles.leader, to_status="acknowledged"
    )
    assert told("issue_status") == {roles.resident.pk, supporter.user_id}
    assert bystander.user_id not in told("issue_status")
    assert roles.outsider.pk not in told("issue_status")


def test_anonymous_reporter_is_told_without_anyone_learning_who_they_are(roles):
    reporter = Resident.objects.get(user=roles.resident)
    issue = IssueFactory(
        building=roles.building, reporter=reporter, is_anonymous=True, title="高空抛物"
    )
    supporter = AccountResidentFactory(household__building=roles.building)
    issues.support_issue(issue=issue, resident=supporter)
    issues.change_issue_status(
        issue=issue,
        access=access_for(roles.leader, roles.building),
        actor=roles.leader,
        to_status="acknowledged",
    )
    mine = Notification.objects.get(kind="issue_followed", recipient=roles.resident)
    assert "高空抛物" not in mine.text  # the reporter's own message names nothing
    assert told("issue_status") == {supporter.user_id}  # supporters hear as usual
    for other in Notification.objects.exclude(recipient=roles.resident):
        assert roles.resident.name not in other.text
        assert reporter.household.room not in other.text


def test_poll_opening_tells_the_building_and_nobody_else(roles):
    proposal = ProposalFactory(building=roles.building, author=roles.team)
    poll_services.open_poll(
        proposal=proposal,
        created_by=roles.leader,
        question="楼组取名",
        option_labels=["和睦楼", "向阳楼"],
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=3),
    )
    recipients = told("poll_open")
    assert {roles.resident.pk, roles.team.pk, roles.leader.pk} <= recipients
    assert not recipients & {roles.outsider.pk, roles.pending.pk, roles.staff.pk}


def test_closing_reminder_only_for_households_that_have_not_voted(roles):
    voter = Resident.objects.get(user=roles.resident)
    same_household = AccountResidentFactory(household=voter.household)
    poll = PollFactory(
        proposal__building=roles.building,
        closes_at=timezone.now() + timedelta(hours=20),
    )
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=voter
    )
    assert poll_services.remind_closing_polls() == 1
    reminded = told("poll_closing")
    assert roles.resident.pk not in reminded and same_household.user_id not in reminded
    assert {roles.team.pk, roles.leader.pk} <= reminded
    assert roles.outsider.pk not in reminded
    assert poll_services.remind_closing_polls() == 0  # once per poll


def test_no_reminder_before_the_last_day(roles):
    PollFactory(
        proposal__building=roles.building, closes_at=timezone.now() + timedelta(days=3)
    )
    assert poll_services.remind_closing_polls() == 0
    assert not told("poll_closing")


def test_promotion_from_the_waiting_list_tells_only_the_promoted(roles):
    activity = ActivityFactory(building=roles.building, capacity=1)
    first = Resident.objects.get(user=roles.resident)
    second = Resident.objects.get(user=roles.team)
    third = Resident.objects.get(user=roles.leader)
    registration = activities.sign_up(
        activity=activity, resident=first, adults=1, children=0
    )
    activities.sign_up(activity=activity, resident=second, adults=1, children=0)
    activities.sign_up(activity=activity, resident=third, adults=1, children=0)
    activities.cancel_registration(registration=registration, actor=roles.resident)
    assert told("waitlist_promoted") == {roles.team.pk}


def test_join_decision_tells_the_applicant_only(roles):
    applicant = Resident.objects.get(user=roles.pending)
    decide_join_request(
        resident=applicant, decided_by=roles.leader, approve=False, reason="房号不对"
    )
    assert told("join_decided") == {roles.pending.pk}


def test_shift_reminder_tells_the_volunteer_only(roles):
    volunteer = Resident.objects.get(user=roles.resident)
    ShiftFactory(
        task__building=roles.building,
        volunteer=volunteer,
        starts_at=timezone.now() + timedelta(hours=5),
    )
    ShiftFactory(
        task__building=roles.building, starts_at=timezone.now() + timedelta(hours=5)
    )
    assert activities.send_shift_reminders() == 1
    assert told("shift_reminder") == {roles.resident.pk}


def test_muted_kind_is_not_delivered_by_any_app(roles):
    from buildings.models import NotificationMute

    NotificationMute.objects.create(user=roles.resident, kind="poll_open")
    proposal = ProposalFactory(building=roles.building, author=roles.team)
    poll_services.open_poll(
        proposal=proposal,
        created_by=roles.leader,
        question="公约",
        option_labels=["同意", "反对"],
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=3),
    )
    assert roles.resident.pk not in told("poll_open")
    assert roles.team.pk in told("poll_open")
