"""Every 议事 page renders for the people who may see it, in zh-hans and English."""

import re

import pytest
from django.urls import reverse

from proposals.deliberation.polls import services as poll_services
from proposals.deliberation.proposals import services as proposal_services
from proposals.models import MeetingTask, Proposal
from tests.factories import AccountResidentFactory, HouseholdFactory
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


@pytest.fixture
def world(roles):
    building = roles.building
    proposal = ProposalFactory(building=building, title="修门厅铁门")
    poll = PollFactory(proposal__building=building, proposal__title="换门方案")
    meeting = MeetingFactory(building=building)
    meeting.agenda.add(proposal)
    leader = roles.leader.memberships.get()
    MeetingTask.objects.create(meeting=meeting, title="联系物业", owner=leader)
    consultation = ConsultationFactory(building=building)
    convention = ConventionFactory(building=building)
    return {
        "proposal": proposal,
        "poll": poll,
        "meeting": meeting,
        "consultation": consultation,
        "convention": convention,
    }


def page_urls(building, w):
    b = building.pk
    return [
        reverse("proposals:decisions", args=[b]),
        reverse("proposals:proposals", args=[b]),
        reverse("proposals:proposal-create", args=[b]),
        w["proposal"].get_absolute_url(),
        reverse("proposals:proposal-edit", args=[b, w["proposal"].pk]),
        reverse("proposals:poll-create", args=[b, w["proposal"].pk]),
        w["poll"].get_absolute_url(),
        reverse("proposals:poll-enter", args=[b, w["poll"].pk]),
        reverse("proposals:meetings", args=[b]),
        reverse("proposals:meeting-create", args=[b]),
        w["meeting"].get_absolute_url(),
        reverse("proposals:meeting-edit", args=[b, w["meeting"].pk]),
        reverse("proposals:meeting-notice", args=[b, w["meeting"].pk]),
        reverse("proposals:meeting-signin", args=[b, w["meeting"].pk]),
        reverse("proposals:consultations", args=[b]),
        reverse("proposals:consultation-create", args=[b]),
        w["consultation"].get_absolute_url(),
        reverse("proposals:consultation-questions", args=[b, w["consultation"].pk]),
        reverse("proposals:consultation-visit", args=[b, w["consultation"].pk]),
        reverse("proposals:consultation-export", args=[b, w["consultation"].pk]),
        reverse("proposals:convention-current", args=[b]),
        w["convention"].get_absolute_url(),
        reverse("proposals:convention-poster", args=[b, w["convention"].pk]),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_for_the_leader(roles, world, login, language):
    client = login(roles.leader)
    client.cookies["django_language"] = language
    for url in page_urls(roles.building, world):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_decisions_hub_lists_what_needs_me(roles, world, login):
    response = login(roles.resident).get(
        reverse("proposals:decisions", args=[roles.building.pk])
    )
    html = response.content.decode()
    assert "需要我投票" in html
    assert world["poll"].question in html
    assert world["meeting"].title in html
    assert world["consultation"].title in html
    assert "楼组公约" in html


def test_poster_has_an_inline_qr_code(roles, world, login):
    url = reverse(
        "proposals:convention-poster", args=[roles.building.pk, world["convention"].pk]
    )
    html = login(roles.resident).get(url).content.decode()
    assert "<svg" in html and "一、不高空抛物" in html
    assert "<img" not in html.split("<article")[1]


def test_meeting_notice_and_sign_in_sheet_are_printable(roles, world, login):
    meeting = world["meeting"]
    client = login(roles.team)
    notice = client.get(
        reverse("proposals:meeting-notice", args=[roles.building.pk, meeting.pk])
    ).content.decode()
    assert meeting.place in notice and "修门厅铁门" in notice and "<svg" in notice
    sheet = client.get(
        reverse("proposals:meeting-signin", args=[roles.building.pk, meeting.pk])
    ).content.decode()
    for household in roles.building.households.all():
        assert f"<td>{household.room}</td>" in sheet
    assert "支部/居委工作人员" in sheet  # blank lines for branch staff


def test_sign_in_sheet_lists_rooms_in_natural_order(roles, login):
    for room in ["1001", "12", "201", "2"]:
        HouseholdFactory(building=roles.building, room=room)
    meeting = MeetingFactory(building=roles.building)
    sheet = (
        login(roles.team)
        .get(reverse("proposals:meeting-signin", args=[roles.building.pk, meeting.pk]))
        .content.decode()
    )
    rooms = re.findall(r"<tr><td>([^<]+)</td><td></td><td></td></tr>", sheet)
    wanted = [r for r in rooms if r in {"1001", "12", "201", "2"}]
    assert wanted == ["2", "12", "201", "1001"]


def test_decision_reference_for_the_fund(roles):
    proposal = ProposalFactory(building=roles.building, kind=Proposal.Kind.FUND_USE)
    assert proposal.decision_reference == ""
    proposal_services.change_proposal_status(
        proposal=proposal,
        to_status="adopted",
        actor=roles.leader,
        note="议事会举手表决",
    )
    proposal.refresh_from_db()
    assert Proposal.objects.adopted().filter(pk=proposal.pk).exists()
    assert proposal.decision_reference.startswith(f"议题 #{proposal.pk} · ")
    assert proposal.decision_reference.endswith("通过")


def test_household_member_sees_who_voted_for_the_household(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    voter = roles.resident.memberships.get()
    partner = AccountResidentFactory(household=voter.household, name="李四")
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=voter
    )
    html = login(partner.user).get(poll.get_absolute_url()).content.decode()
    assert f"您家已投票（{voter.name}）" in html
    assert 'name="option"' not in html
