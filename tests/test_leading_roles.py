"""Issue #16's actions for the roles the per-app permission tables leave out: the staff of
the building's town, the staff of a community of another town, and a superuser; and
the admin pages of the records those actions write, for every kind of staff and for a
resident.

The per-app tables (tests/*/test_permissions.py, test_team.py, test_raising.py,
test_changes.py, …) cover visitor, resident of another building, pending, resident,
team, leader and the community's own staff. Here each action is tried by the other
three: town staff and a superuser may do what the community's staff may; staff of
another town get "not found" and change nothing.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from buildings import services as building_services
from buildings import team
from buildings.models import Announcement, Resident, TalentInvitation, TeamEvent
from buildings.permissions import CHOSEN_BUILDING
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season
from proposals.deliberation.raising import services as raising
from proposals.models import (
    Consultation,
    Issue,
    IssueEvent,
    Meeting,
    Poll,
    Proposal,
    ProposalCosign,
    RaiseRule,
)
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    BuildingFactory,
    StaffFactory,
)
from tests.funds.factories import CampaignFactory, ready_fund
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    MeetingFactory,
    PollFactory,
)
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

EXTRA_ROLES = ["town_staff", "other_staff", "superuser"]


@pytest.fixture
def people(roles):
    roles.superuser = StaffFactory(is_superuser=True)
    return roles


def raised(building):
    return raising.raise_matter(
        resident=AccountResidentFactory(household__building=building),
        title="加装扶手",
        body="楼梯陡",
    )


def later(days=3):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# Each action: (name, prepare(roles) -> (method, url, data, done()), what the
# community's own staff get: "does" (and the code), or "refused" (a message or a 403,
# nothing stored; staff are no household).
def _raise(r):
    url = reverse("proposals:raise-create", args=[r.building.pk])
    return (
        "post",
        url,
        {"title": "加装扶手", "body": "楼梯陡"},
        (lambda: Proposal.objects.filter(title="加装扶手").exists()),
    )


def _cosign(r):
    proposal = raised(r.building)
    url = reverse("proposals:proposal-cosign", args=[r.building.pk, proposal.pk])
    return "post", url, {}, lambda: proposal.cosigns.count() == 2


def _threshold(r):
    url = reverse("proposals:raise-threshold", args=[r.building.pk])
    return (
        "post",
        url,
        {"threshold": "7"},
        (lambda: RaiseRule.objects.filter(threshold=7).exists()),
    )


def _decline(r):
    proposal = raised(r.building)
    url = reverse("proposals:proposal-status", args=[r.building.pk, proposal.pk])
    data = {"status": "withdrawn", "note": "重复了"}
    return (
        "post",
        url,
        data,
        lambda: (
            Proposal.objects.get(pk=proposal.pk).status == (Proposal.Status.WITHDRAWN)
        ),
    )


def _appoint(r):
    resident = r.resident.memberships.get()
    url = reverse("buildings:appoint", args=[r.building.pk])
    return (
        "post",
        url,
        {"resident": resident.pk},
        (lambda: Resident.objects.get(pk=resident.pk).role == "team"),
    )


def _remove(r):
    member = r.team.memberships.get()
    url = reverse("buildings:team-remove", args=[r.building.pk, member.pk])
    return (
        "post",
        url,
        {"reason": "搬走了"},
        (lambda: Resident.objects.get(pk=member.pk).role == "resident"),
    )


def _talent(r):
    resident = r.resident.memberships.get()
    url = reverse("buildings:talent-ask", args=[r.building.pk])
    data = {"resident": resident.pk, "skill": "理发", "offer": "每月一次"}
    return "post", url, data, lambda: TalentInvitation.objects.exists()


def _badge(r):
    from tests.factories import ResidentFactory

    resident = ResidentFactory(household__building=r.building, is_party_member=True)
    url = reverse("buildings:resident-party-badge", args=[r.building.pk, resident.pk])
    return (
        "post",
        url,
        {"shows_party_badge": "on"},
        (lambda: Resident.objects.get(pk=resident.pk).shows_party_badge),
    )


def _announcement_edit(r):
    announcement = AnnouncementFactory(building=r.building, title="停水通知")
    url = reverse("buildings:announcement-edit", args=[announcement.pk])
    data = {"title": "停水通知（改）", "body": "周三停水。", "reason": "日期写错了"}
    return (
        "post",
        url,
        data,
        lambda: Announcement.objects.filter(title="停水通知（改）").exists(),
    )


def _announcement_withdraw(r):
    announcement = AnnouncementFactory(building=r.building)
    url = reverse("buildings:announcement-withdraw", args=[announcement.pk])
    return (
        "post",
        url,
        {"reason": "活动取消"},
        (lambda: Announcement.objects.get(pk=announcement.pk).is_cancelled),
    )


def _meeting_cancel(r):
    meeting = MeetingFactory(building=r.building)
    url = reverse("proposals:meeting-cancel", args=[r.building.pk, meeting.pk])
    return (
        "post",
        url,
        {"reason": "议题已解决"},
        (lambda: Meeting.objects.get(pk=meeting.pk).is_cancelled),
    )


def _meeting_change(r):
    meeting = MeetingFactory(building=r.building)
    url = reverse("proposals:meeting-change", args=[r.building.pk, meeting.pk])
    data = {
        "title": meeting.title,
        "starts_at": later(),
        "place": "二楼活动室",
        "agenda_notes": "",
        "reason": "门厅装修",
    }
    return (
        "post",
        url,
        data,
        lambda: Meeting.objects.get(pk=meeting.pk).place == ("二楼活动室"),
    )


def _poll_cancel(r):
    poll = PollFactory(proposal__building=r.building)
    url = reverse("proposals:poll-cancel", args=[r.building.pk, poll.pk])
    return (
        "post",
        url,
        {"reason": "方案要重新讨论"},
        (lambda: Poll.objects.get(pk=poll.pk).is_cancelled),
    )


def _consultation_cancel(r):
    consultation = ConsultationFactory(building=r.building)
    url = reverse(
        "proposals:consultation-cancel", args=[r.building.pk, consultation.pk]
    )
    return (
        "post",
        url,
        {"reason": "不需要了"},
        (lambda: Consultation.objects.get(pk=consultation.pk).is_cancelled),
    )


def _campaign_cancel(r):
    fund, _leader, _rule = ready_fund(r.building)
    campaign = CampaignFactory(fund=fund)
    url = reverse("funds:campaign-cancel", args=[r.building.pk, campaign.pk])
    return (
        "post",
        url,
        {"reason": "物业出钱了"},
        (lambda: type(campaign).objects.get(pk=campaign.pk).is_cancelled),
    )


def _activity_cancel(r):
    from activities.models import Activity
    from tests.activities.factories import ActivityFactory

    activity = ActivityFactory(building=r.building)
    url = reverse("activities:cancel-activity", args=[r.building.pk, activity.pk])
    return (
        "post",
        url,
        {"reason": "下雨，改期另行通知"},
        (lambda: Activity.objects.get(pk=activity.pk).is_cancelled),
    )


def _recategorise(r):
    issue = IssueFactory(building=r.building)
    url = reverse("proposals:issue-recategorise", args=[r.building.pk, issue.pk])
    return (
        "post",
        url,
        {"category": "safety"},
        (lambda: Issue.objects.get(pk=issue.pk).category == "safety"),
    )


def _merge(r):
    original = IssueFactory(building=r.building)
    duplicate = IssueFactory(building=r.building)
    url = reverse("proposals:issue-merge", args=[r.building.pk, duplicate.pk])
    return (
        "post",
        url,
        {"into": original.pk, "reason": "同一扇门"},
        (lambda: Issue.objects.get(pk=duplicate.pk).merged_into_id == original.pk),
    )


def _hide(r):
    issue = IssueFactory(building=r.building)
    url = reverse("proposals:issue-hide", args=[r.building.pk, issue.pk])
    return (
        "post",
        url,
        {"reason": "辱骂邻居"},
        (lambda: Issue.objects.get(pk=issue.pk).is_hidden),
    )


def _search(r):
    IssueFactory(building=r.building, title="楼道铁门坏了")
    url = reverse("buildings:search", args=[r.building.pk]) + "?q=铁门"
    return "get", url, None, None


def _ballot(r):
    poll = PollFactory(proposal__building=r.building)
    return (
        "get",
        reverse("proposals:poll-ballot", args=[r.building.pk, poll.pk]),
        None,
        None,
    )


def _questionnaire(r):
    consultation = ConsultationFactory(building=r.building)
    url = reverse("proposals:consultation-sheet", args=[r.building.pk, consultation.pk])
    return "get", url, None, None


def _garden_list(r):
    url = reverse("gardens:create", args=[r.building.pk])
    data = {"name": "门厅角落", "place": "信箱旁", "notes": ""}
    return (
        "post",
        url,
        data,
        lambda: GardenSpace.objects.filter(name="门厅角落").exists(),
    )


def _garden_adopt(r):
    space = GardenSpaceFactory(building=r.building)
    url = reverse("gardens:adopt", args=[r.building.pk, space.pk])
    data = {"season": current_season().isoformat(), "shown_as": "room"}
    return "post", url, data, lambda: Adoption.objects.filter(space=space).exists()


def _garden_give_up(r):
    adoption = AdoptionFactory(space__building=r.building)
    url = reverse(
        "gardens:give-up", args=[r.building.pk, adoption.space_id, adoption.pk]
    )
    return "post", url, {}, (lambda: not Adoption.objects.get(pk=adoption.pk).is_active)


ACTIONS = {
    "raise": (_raise, "refused"),
    "co-sign": (_cosign, "refused"),
    "threshold": (_threshold, "does"),
    "decline": (_decline, "does"),
    "appoint": (_appoint, "does"),
    "team-remove": (_remove, "does"),
    "talent-ask": (_talent, "does"),
    "badge": (_badge, "does"),
    "announcement-edit": (_announcement_edit, "does"),
    "announcement-withdraw": (_announcement_withdraw, "does"),
    "meeting-change": (_meeting_change, "does"),
    "meeting-cancel": (_meeting_cancel, "does"),
    "poll-cancel": (_poll_cancel, "does"),
    "consultation-cancel": (_consultation_cancel, "does"),
    "campaign-cancel": (_campaign_cancel, "does"),
    "activity-cancel": (_activity_cancel, "does"),
    "recategorise": (_recategorise, "does"),
    "merge": (_merge, "does"),
    "hide": (_hide, "does"),
    "search": (_search, "does"),
    "print-ballot": (_ballot, "does"),
    "print-questionnaire": (_questionnaire, "does"),
    "garden-list": (_garden_list, "does"),
    "garden-adopt": (_garden_adopt, "refused"),
    "garden-give-up": (_garden_give_up, "does"),
}


def _act(people, login, role, action):
    prepare, staff_gets = ACTIONS[action]
    method, url, data, done = prepare(people)
    client = login(people.get(role))
    response = client.post(url, data) if method == "post" else client.get(url)
    return response, done, staff_gets


@pytest.mark.parametrize("role", ["staff", *EXTRA_ROLES])
@pytest.mark.parametrize("action", ACTIONS)
def test_town_staff_and_superuser_as_staff_other_staff_see_nothing(
    people, login, role, action
):
    """The community's staff (as the per-app tables have it), its town's staff and a
    superuser get the same; staff of another town "not found", nothing changed."""
    response, done, staff_gets = _act(people, login, role, action)
    if role == "other_staff":
        assert response.status_code == 404
        if done is not None:
            assert not done()
        return
    if done is None:  # a page
        assert response.status_code == 200
    elif staff_gets == "does":
        assert response.status_code == 302
        assert done()
    else:  # told why (a message or a 403), nothing stored: staff are no household
        assert response.status_code in (302, 403)
        assert not done()


# --- The switch between buildings, the town dashboard and escalation ---------------


@pytest.mark.parametrize("role", ["visitor", *EXTRA_ROLES, "staff", "leader"])
def test_town_dashboard_per_role(people, login, role):
    town = people.building.community.town
    response = login(people.get(role)).get(reverse("dashboard:town", args=[town.pk]))
    expected = {
        "visitor": 302,
        "town_staff": 200,
        "superuser": 200,
        "staff": 200,  # their own community's row, as part of the town
        "other_staff": 403,
        "leader": 403,
    }[role]
    assert response.status_code == expected
    if expected == 200:
        rows = [row.community.pk for row in response.context["rows"]]
        assert people.building.community_id in rows


@pytest.mark.parametrize("role", ["visitor", *EXTRA_ROLES, "staff", "leader"])
def test_switching_to_a_building_one_holds_no_role_in_changes_nothing(
    people, login, role
):
    """The switch sets "my building" only to a building where the person belongs."""
    elsewhere = BuildingFactory(community=people.building.community)
    client = login(people.get(role))
    response = client.post(
        reverse("buildings:switch-building"), {"building": elsewhere.pk}
    )
    assert response.status_code == 302
    assert client.session.get(CHOSEN_BUILDING) != elsewhere.pk


# --- The admin --------------------------------------------------------------------


def daily_staff(**posts):
    """Staff with every admin permission of daily work but the revealing one."""
    staff = StaffFactory(**posts)
    staff.user_permissions.set(
        Permission.objects.exclude(codename="view_anonymous_reporter")
    )
    return staff


def _rows(building):
    """One record of each kind issue #16's actions write, in the building."""
    leader = AccountResidentFactory(household__building=building, role="leader").user
    resident = AccountResidentFactory(household__building=building)
    proposal = raised(building)
    raising.set_threshold(building=building, threshold=4, set_by=leader)
    raising.cosign(proposal=proposal, resident=resident)
    announcement = AnnouncementFactory(building=building)
    building_services.withdraw_announcement(
        announcement=announcement, by=leader, reason="错了"
    )
    team.appoint_to_team(resident=resident, actor=leader)
    team.propose_talent(resident=resident, skill_name="理发", offer="", actor=leader)
    issue = IssueFactory(building=building)
    IssueEvent.objects.create(
        issue=issue,
        kind="recategorised",
        actor_role="leader",
        from_category="facilities",
        to_category="safety",
    )
    adoption = AdoptionFactory(space__building=building)
    return {
        "buildings_teamevent": TeamEvent.objects.get(
            resident=resident, kind="appointed"
        ),
        "buildings_talentinvitation": TalentInvitation.objects.get(resident=resident),
        "buildings_changenote": announcement.change_notes.get()
        if hasattr(announcement, "change_notes")
        else None,
        "proposals_raiserule": RaiseRule.objects.get(building=building),
        "proposals_proposalcosign": ProposalCosign.objects.get(resident=resident),
        "proposals_issueevent": IssueEvent.objects.get(issue=issue),
        "gardens_gardenspace": adoption.space,
        "gardens_adoption": adoption,
    }


@pytest.fixture
def here_and_there(people):
    from buildings.models import ChangeNote

    other = BuildingFactory(community=people.other_staff.staff_posts.get().community)
    here, there = _rows(people.building), _rows(other)
    for rows, building in ((here, people.building), (there, other)):
        rows["buildings_changenote"] = ChangeNote.objects.get(building=building)
    return here, there


ADMIN_KINDS = ["community", "town", "other", "superuser", "resident"]


@pytest.mark.parametrize("kind", ADMIN_KINDS)
def test_admin_lists_of_what_leaders_write_keep_to_their_communities(
    people, here_and_there, client, kind
):
    here, there = here_and_there
    community = people.building.community
    user = {
        "community": lambda: daily_staff(communities=[community]),
        "town": lambda: daily_staff(towns=[community.town]),
        "other": lambda: daily_staff(
            communities=[people.other_staff.staff_posts.get().community]
        ),
        "superuser": lambda: people.superuser,
        "resident": lambda: people.resident,
    }[kind]()
    client.force_login(user)
    for name in here:
        response = client.get(reverse(f"admin:{name}_changelist"))
        if kind == "resident":
            assert response.status_code == 302, name  # to the admin's log-in
            continue
        assert response.status_code == 200, name
        shown = {row.pk for row in response.context["cl"].result_list}
        assert (here[name].pk in shown) is (kind != "other"), name
        assert (there[name].pk in shown) is (kind in {"other", "superuser"}), name
        change = reverse(f"admin:{name}_change", args=[there[name].pk])
        opened = client.get(change)
        if kind in {"other", "superuser"}:
            assert opened.status_code == 200, name
        else:
            assert opened.status_code == 302, name  # "does not exist"
