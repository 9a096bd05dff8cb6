"""Council meetings, proposals' life cycle and the building convention."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buildings.models import Notification
from proposals.deliberation.conventions import services as convention_services
from proposals.deliberation.meetings import services as meeting_services
from proposals.deliberation.proposals import services as proposal_services
from proposals.models import (
    Convention,
    ConventionSignature,
    Meeting,
    MeetingAttendance,
    MeetingTask,
    Proposal,
    ProposalComment,
)
from tests.factories import AccountResidentFactory, HouseholdFactory, ResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    ConventionFactory,
    MeetingFactory,
    PollFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_call_meeting_with_agenda_and_notify(roles, login):
    building = roles.building
    proposal = ProposalFactory(building=building, title="楼道堆物")
    url = reverse("proposals:meeting-create", args=[building.pk])
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = login(roles.team).post(
        url,
        {
            "title": "三月议事会",
            "starts_at": when,
            "place": "门厅",
            "agenda": [proposal.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert list(meeting.agenda.all()) == [proposal]
    assert Notification.objects.filter(
        recipient=roles.resident, kind="meeting"
    ).exists()


def test_agenda_proposal_of_another_building_is_refused(roles, login):
    foreign = ProposalFactory()
    url = reverse("proposals:meeting-create", args=[roles.building.pk])
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = login(roles.team).post(
        url, {"title": "x", "starts_at": when, "place": "门厅", "agenda": [foreign.pk]}
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_sign_in_minutes_and_tasks_until_done(roles, login):
    meeting = MeetingFactory(building=roles.building)
    resident = roles.resident.memberships.get()
    client = login(roles.team)
    base = [roles.building.pk, meeting.pk]
    client.post(
        reverse("proposals:meeting-attendance", args=base), {"resident": resident.pk}
    )
    again = client.post(
        reverse("proposals:meeting-attendance", args=base),
        {"resident": resident.pk},
        follow=True,
    )
    assert "已经签到了" in again.content.decode()
    assert MeetingAttendance.objects.count() == 1
    client.post(
        reverse("proposals:meeting-edit", args=base),
        {"minutes": "大家同意换门", "decisions": "换新铁门"},
    )
    client.post(
        reverse("proposals:meeting-task-create", args=base),
        {"title": "联系物业报价", "owner": resident.pk, "due_on": "2020-01-01"},
    )
    task = MeetingTask.objects.get()
    assert task.owner == resident and task.is_overdue
    assert Notification.objects.filter(recipient=roles.resident, kind="meeting_task")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "大家同意换门" in page and "联系物业报价" in page and "已逾期" in page
    login(roles.resident).post(
        reverse("proposals:meeting-task-done", args=[*base, task.pk]),
        {"confirm": "yes"},
    )
    task.refresh_from_db()
    assert task.is_done and not task.is_overdue
    with pytest.raises(ValidationError):
        meeting_services.complete_meeting_task(task=task, done_by=roles.leader)


def test_attendance_of_a_stranger_is_404(roles, login):
    meeting = MeetingFactory(building=roles.building)
    stranger = AccountResidentFactory()
    url = reverse("proposals:meeting-attendance", args=[roles.building.pk, meeting.pk])
    assert login(roles.team).post(url, {"resident": stranger.pk}).status_code == 404
    assert not MeetingAttendance.objects.exists()


def test_task_for_someone_of_another_building_is_refused(roles, login):
    meeting = MeetingFactory(building=roles.building)
    stranger = AccountResidentFactory()
    url = reverse("proposals:meeting-task-create", args=[roles.building.pk, meeting.pk])
    response = login(roles.team).post(
        url, {"title": "x", "owner": stranger.pk}, follow=True
    )
    assert response.status_code == 200
    assert not MeetingTask.objects.exists()


def test_proposal_life_cycle(roles, login):
    from tests.proposals.factories import IssueFactory

    door, clutter = (
        IssueFactory(building=roles.building),
        IssueFactory(building=roles.building),
    )
    client = login(roles.team)
    url = reverse("proposals:proposal-create", args=[roles.building.pk])
    response = client.post(
        url,
        {
            "kind": "fund_use",
            "title": "买20个花盆",
            "body": "一尺花园",
            "budget": "320.50",
            "origin_issues": f"{door.pk}, #{clutter.pk}",
        },
    )
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert proposal.status == "draft"
    assert set(proposal.origin_issues.all()) == {door, clutter}
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert door.get_absolute_url() in page
    assert str(proposal.budget) == "320.50"
    status_url = reverse(
        "proposals:proposal-status", args=[roles.building.pk, proposal.pk]
    )
    client.post(status_url, {"status": "discussion"})
    proposal.refresh_from_db()
    assert proposal.status == "discussion"
    login(roles.resident).post(
        reverse("proposals:proposal-comment", args=[roles.building.pk, proposal.pk]),
        {"text": "支持!"},
    )
    assert ProposalComment.objects.get().author_name
    # Adopting without saying how is refused; with a note it is recorded.
    leader = login(roles.leader)
    leader.post(status_url, {"status": "adopted"})
    proposal.refresh_from_db()
    assert proposal.status == "discussion"
    leader.post(status_url, {"status": "adopted", "note": "3月议事会举手表决"})
    proposal.refresh_from_db()
    assert proposal.is_adopted and "通过" in proposal.decision_reference
    # A decided proposal can no longer move or be discussed.
    with pytest.raises(ValidationError):
        proposal_services.change_proposal_status(
            proposal=proposal, to_status="withdrawn", actor=roles.leader
        )
    with pytest.raises(ValidationError):
        proposal_services.add_comment(
            proposal=proposal, author=roles.leader, name="x", text="y"
        )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "general", "title": "", "body": "x"},
        {"kind": "nonsense", "title": "t", "body": "x"},
        {"kind": "general", "title": "t" * 121, "body": "x"},
        {"kind": "general", "title": "t", "body": "x", "budget": "-1"},
        {"kind": "general", "title": "t", "body": "x", "origin_issues": "abc"},
    ],
)
def test_bad_proposal_input(roles, login, data):
    url = reverse("proposals:proposal-create", args=[roles.building.pk])
    assert login(roles.team).post(url, data).status_code == 200
    assert not Proposal.objects.exists()


def test_comment_too_long_is_refused(roles, login):
    proposal = ProposalFactory(building=roles.building)
    url = reverse("proposals:proposal-comment", args=[roles.building.pk, proposal.pk])
    login(roles.resident).post(url, {"text": "长" * 2001})
    assert not ProposalComment.objects.exists()


def test_sign_convention_online_and_on_paper(roles, login):
    convention = ConventionFactory(building=roles.building)
    url = reverse("proposals:convention-sign", args=[roles.building.pk, convention.pk])
    client = login(roles.resident)
    client.post(url)
    again = client.post(url, follow=True)
    assert "已经签署过了" in again.content.decode()
    assert ConventionSignature.objects.count() == 1
    grandma = ResidentFactory(household__building=roles.building, name="钱奶奶")
    paper = reverse(
        "proposals:convention-paper", args=[roles.building.pk, convention.pk]
    )
    login(roles.leader).post(
        paper, {"room": grandma.household.room, "signer_name": "钱奶奶"}
    )
    signature = ConventionSignature.objects.get(household=grandma.household)
    assert signature.origin == "paper" and signature.entered_by == roles.leader
    assert signature.resident == grandma
    page = login(roles.resident).get(convention.get_absolute_url()).content.decode()
    total = roles.building.households.count()
    assert f"2 / {total} 户" in page


def test_only_the_current_convention_can_be_signed(roles):
    old = ConventionFactory(building=roles.building, version=1)
    ConventionFactory(building=roles.building, version=2)
    with pytest.raises(ValidationError, match="现行"):
        convention_services.sign_convention(
            convention=old, resident=roles.resident.memberships.get()
        )


def test_paper_signature_for_unknown_room(roles, login):
    convention = ConventionFactory(building=roles.building)
    paper = reverse(
        "proposals:convention-paper", args=[roles.building.pk, convention.pk]
    )
    response = login(roles.leader).post(
        paper, {"room": "9999", "signer_name": "某人"}, follow=True
    )
    assert "9999" in response.content.decode()
    assert not ConventionSignature.objects.exists()


def test_convention_adopted_directly_by_the_leader(roles):
    proposal = ProposalFactory(
        building=roles.building, kind=Proposal.Kind.CONVENTION, body="爱护公物。"
    )
    proposal_services.change_proposal_status(
        proposal=proposal, to_status="adopted", actor=roles.leader, note="议事会通过"
    )
    assert Convention.objects.current_for(roles.building).text == "爱护公物。"


def test_hub_and_lists_query_budget(roles, login, django_assert_max_num_queries):
    building = roles.building
    for i in range(15):
        proposal = ProposalFactory(building=building, title=f"议题{i}")
        ProposalComment.objects.create(
            proposal=proposal, author=roles.team, author_name="李", text="好"
        )
        PollFactory(proposal__building=building)
        meeting = MeetingFactory(building=building)
        meeting.agenda.add(proposal)
        ConsultationFactory(building=building)
    ConventionFactory(building=building)
    for _ in range(20):
        HouseholdFactory(building=building)
    client = login(roles.resident)
    b = building.pk
    for name in ["decisions", "proposals", "meetings", "consultations"]:
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"proposals:{name}", args=[b])).status_code == 200
    meeting = Meeting.objects.first()
    for _ in range(10):
        MeetingAttendance.objects.create(
            meeting=meeting,
            resident=AccountResidentFactory(household__building=building),
            recorded_by=roles.team,
        )
    team = login(roles.team)
    with django_assert_max_num_queries(20):
        assert team.get(meeting.get_absolute_url()).status_code == 200
    proposal = Proposal.objects.first()
    with django_assert_max_num_queries(16):
        assert team.get(proposal.get_absolute_url()).status_code == 200


def test_proposal_cannot_cite_another_buildings_issue(roles, login):
    from tests.proposals.factories import IssueFactory

    stranger = IssueFactory()
    response = login(roles.team).post(
        reverse("proposals:proposal-create", args=[roles.building.pk]),
        {
            "kind": "general",
            "title": "t",
            "body": "x",
            "origin_issues": str(stranger.pk),
        },
        follow=True,
    )
    assert not Proposal.objects.exists()
    assert f"#{stranger.pk}" in response.content.decode()
