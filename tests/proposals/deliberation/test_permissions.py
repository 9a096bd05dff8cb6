"""Who may do what in 议事: every page and every action × every role (docs/architecture.md, "Who may do what").

Allowed and denied are both asserted, and a denied action writes nothing.
"""

from datetime import timedelta

import pytest
from auditlog.context import disable_auditlog
from django.urls import reverse
from django.utils import timezone

from proposals.deliberation.proposals import permissions as proposal_perms
from proposals.models import (
    Ballot,
    Consultation,
    ConsultationResponse,
    ConventionSignature,
    Meeting,
    MeetingAttendance,
    MeetingTask,
    Poll,
    Proposal,
    ProposalComment,
    Question,
)
from tests.conftest import ALL_ROLES, Roles
from tests.factories import BuildingFactory, HouseholdFactory
from tests.module_data import built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    ConventionFactory,
    MeetingFactory,
    PollFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

VIEWERS = {"resident", "team", "leader", "staff"}
ORGANISERS = {"team", "leader", "staff"}
MANAGERS = {"leader", "staff"}
RESIDENTS = {"resident", "team", "leader"}  # staff are not household members


def expected(role, allowed, ok=200, denied_member=403):
    if role in allowed:
        return ok
    if role == "visitor":
        return 302  # to the log-in page
    if role in {"outsider", "pending"}:
        return 404
    return denied_member


class World:
    def __init__(self, roles):
        b = roles.building
        self.roles = roles
        self.building = b
        self.proposal = ProposalFactory(building=b, title="讨论中的议题")
        self.draft = ProposalFactory(building=b, status=Proposal.Status.DRAFT)
        self.poll = PollFactory(proposal__building=b)
        self.meeting = MeetingFactory(building=b)
        leader_resident = roles.leader.memberships.get()
        self.task = MeetingTask.objects.create(
            meeting=self.meeting, title="联系物业", owner=leader_resident
        )
        self.consultation = ConsultationFactory(building=b)
        self.convention = ConventionFactory(building=b)
        self.room = HouseholdFactory(building=b, room="601").room
        self.resident = roles.resident.memberships.get()

    def url(self, name, *args):
        return reverse(f"proposals:{name}", args=[self.building.pk, *args])


@pytest.fixture
def world(roles):
    return World(roles)


@pytest.fixture(scope="module")
def shown_world(django_db_setup, django_db_blocker):
    """One world for the page tests, which only read: made once for the module rather
    than once for each of their 207 page and role pairs, and rolled back after them
    (each test still runs in its own transaction inside)."""

    def build():
        with disable_auditlog():
            return World(Roles(BuildingFactory()))

    yield from built_once(django_db_blocker, build)


def pages(w):
    return [
        ("decisions", w.url("decisions"), VIEWERS),
        ("proposals", w.url("proposals"), VIEWERS),
        ("proposal-create", w.url("proposal-create"), ORGANISERS),
        ("proposal", w.url("proposal", w.proposal.pk), VIEWERS),
        ("draft", w.url("proposal", w.draft.pk), ORGANISERS),
        ("proposal-edit", w.url("proposal-edit", w.proposal.pk), ORGANISERS),
        ("poll-create", w.url("poll-create", w.proposal.pk), MANAGERS),
        ("poll", w.url("poll", w.poll.pk), VIEWERS),
        ("poll-enter", w.url("poll-enter", w.poll.pk), MANAGERS),
        ("meetings", w.url("meetings"), VIEWERS),
        ("meeting-create", w.url("meeting-create"), ORGANISERS),
        ("meeting", w.url("meeting", w.meeting.pk), VIEWERS),
        ("meeting-edit", w.url("meeting-edit", w.meeting.pk), ORGANISERS),
        ("meeting-notice", w.url("meeting-notice", w.meeting.pk), VIEWERS),
        ("meeting-signin", w.url("meeting-signin", w.meeting.pk), ORGANISERS),
        ("consultations", w.url("consultations"), VIEWERS),
        ("consultation-create", w.url("consultation-create"), ORGANISERS),
        ("consultation", w.url("consultation", w.consultation.pk), VIEWERS),
        (
            "consultation-questions",
            w.url("consultation-questions", w.consultation.pk),
            ORGANISERS,
        ),
        (
            "consultation-visit",
            w.url("consultation-visit", w.consultation.pk),
            ORGANISERS,
        ),
        (
            "consultation-export",
            w.url("consultation-export", w.consultation.pk),
            ORGANISERS,
        ),
        ("convention", w.url("convention", w.convention.pk), VIEWERS),
        ("convention-poster", w.url("convention-poster", w.convention.pk), VIEWERS),
    ]


PAGE_NAMES = [
    "decisions",
    "proposals",
    "proposal-create",
    "proposal",
    "draft",
    "proposal-edit",
    "poll-create",
    "poll",
    "poll-enter",
    "meetings",
    "meeting-create",
    "meeting",
    "meeting-edit",
    "meeting-notice",
    "meeting-signin",
    "consultations",
    "consultation-create",
    "consultation",
    "consultation-questions",
    "consultation-visit",
    "consultation-export",
    "convention",
    "convention-poster",
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", PAGE_NAMES)
def test_pages(shown_world, login, role, page):
    name, url, allowed = next(p for p in pages(shown_world) if p[0] == page)
    response = login(shown_world.roles.get(role)).get(url)
    # A draft is not even shown to exist outside the team.
    denied_member = 404 if name == "draft" else 403
    assert response.status_code == expected(role, allowed, denied_member=denied_member)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_current_convention_redirects_viewers(world, login, role):
    response = login(world.roles.get(role)).get(world.url("convention-current"))
    assert response.status_code == expected(role, VIEWERS, ok=302)


def later(days=1):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# name -> (allowed roles, POST target, data, "was something written?")
def actions(w):
    option = w.poll.options.first().pk
    return {
        "proposal-create": (
            ORGANISERS,
            w.url("proposal-create"),
            {"kind": "general", "title": "新议题", "body": "内容"},
            lambda: Proposal.objects.filter(title="新议题").exists(),
        ),
        "proposal-comment": (
            VIEWERS,
            w.url("proposal-comment", w.proposal.pk),
            {"text": "我同意"},
            lambda: ProposalComment.objects.exists(),
        ),
        "proposal-withdraw": (
            ORGANISERS,
            w.url("proposal-status", w.proposal.pk),
            {"status": "withdrawn"},
            lambda: Proposal.objects.filter(status="withdrawn").exists(),
        ),
        "proposal-adopt": (
            MANAGERS,
            w.url("proposal-status", w.proposal.pk),
            {"status": "adopted", "note": "议事会举手表决"},
            lambda: Proposal.objects.filter(status="adopted").exists(),
        ),
        "poll-create": (
            MANAGERS,
            w.url("poll-create", w.proposal.pk),
            {
                "question": "新投票",
                "electorate": "household",
                "opens_at": later(0),
                "closes_at": later(3),
                "quorum_percent": "50",
            },
            lambda: Poll.objects.filter(question="新投票").exists(),
        ),
        "poll-vote": (
            RESIDENTS,
            w.url("poll-vote", w.poll.pk),
            {"option": option},
            lambda: Ballot.objects.exists(),
        ),
        "poll-enter": (
            MANAGERS,
            w.url("poll-enter", w.poll.pk),
            {"room": w.room, "option": option, "origin": "paper"},
            lambda: Ballot.objects.exists(),
        ),
        "poll-close": (
            MANAGERS,
            w.url("poll-close", w.poll.pk),
            {"reason": "全楼已表决完毕"},
            lambda: Poll.objects.filter(closed_at__isnull=False).exists(),
        ),
        "meeting-create": (
            ORGANISERS,
            w.url("meeting-create"),
            {"title": "新议事会", "starts_at": later(2), "place": "门厅"},
            lambda: Meeting.objects.filter(title="新议事会").exists(),
        ),
        "meeting-edit": (
            ORGANISERS,
            w.url("meeting-edit", w.meeting.pk),
            {"minutes": "讨论了铁门", "decisions": ""},
            lambda: Meeting.objects.filter(minutes="讨论了铁门").exists(),
        ),
        "meeting-attendance": (
            ORGANISERS,
            w.url("meeting-attendance", w.meeting.pk),
            {"resident": w.resident.pk},
            lambda: MeetingAttendance.objects.exists(),
        ),
        "meeting-staff-attendance": (
            ORGANISERS,
            w.url("meeting-attendance", w.meeting.pk),
            {"staff": w.roles.staff.pk},
            lambda: MeetingAttendance.objects.filter(staff=w.roles.staff).exists(),
        ),
        "meeting-task-create": (
            ORGANISERS,
            w.url("meeting-task-create", w.meeting.pk),
            {"title": "买花盆", "owner": w.resident.pk},
            lambda: MeetingTask.objects.filter(title="买花盆").exists(),
        ),
        "meeting-task-done": (
            # the team, or the owner (the leader here)
            ORGANISERS,
            w.url("meeting-task-done", w.meeting.pk, w.task.pk),
            {"confirm": "yes"},
            lambda: MeetingTask.objects.filter(done_at__isnull=False).exists(),
        ),
        "consultation-create": (
            ORGANISERS,
            w.url("consultation-create"),
            {"title": "新征询", "opens_at": later(0), "closes_at": later(5)},
            lambda: Consultation.objects.filter(title="新征询").exists(),
        ),
        "consultation-question": (
            ORGANISERS,
            w.url("consultation-questions", w.consultation.pk),
            {"text": "新问题", "kind": "text", "required": "on"},
            lambda: Question.objects.filter(text="新问题").exists(),
        ),
        "consultation-answer": (
            RESIDENTS,
            w.url("consultation-answer", w.consultation.pk),
            answer_data(w.consultation),
            lambda: ConsultationResponse.objects.exists(),
        ),
        "consultation-visit": (
            ORGANISERS,
            w.url("consultation-visit", w.consultation.pk),
            {"room": w.room, **answer_data(w.consultation)},
            lambda: ConsultationResponse.objects.exists(),
        ),
        "convention-sign": (
            RESIDENTS,
            w.url("convention-sign", w.convention.pk),
            {},
            lambda: ConventionSignature.objects.exists(),
        ),
        "convention-paper": (
            MANAGERS,
            w.url("convention-paper", w.convention.pk),
            {"room": w.room, "signer_name": "孙大爷"},
            lambda: ConventionSignature.objects.exists(),
        ),
    }


def answer_data(consultation):
    data = {}
    for question in consultation.questions.all():
        choices = list(question.choices.all())
        if question.kind == "single":
            data[f"q{question.pk}"] = str(choices[0].pk)
        elif question.kind == "multiple":
            data[f"q{question.pk}"] = [str(choices[0].pk), str(choices[1].pk)]
        else:
            data[f"q{question.pk}"] = "多种点花"
    return data


ACTION_NAMES = [
    "proposal-create",
    "proposal-comment",
    "proposal-withdraw",
    "proposal-adopt",
    "poll-create",
    "poll-vote",
    "poll-enter",
    "poll-close",
    "meeting-create",
    "meeting-edit",
    "meeting-attendance",
    "meeting-staff-attendance",
    "meeting-task-create",
    "meeting-task-done",
    "consultation-create",
    "consultation-question",
    "consultation-answer",
    "consultation-visit",
    "convention-sign",
    "convention-paper",
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_actions(world, login, role, action):
    allowed, url, data, written = actions(world)[action]
    response = login(world.roles.get(role)).post(url, data)
    if role in allowed:
        assert response.status_code == 302, (action, role)
        assert written(), (action, role)
    else:
        if (
            role == "staff"
        ):  # staff may do all, but only household members vote/sign/answer
            assert response.status_code == 302
        else:
            assert response.status_code == expected(role, allowed), (action, role)
        assert not written(), (action, role)


@pytest.mark.parametrize(
    "name",
    [
        "proposal-comment",
        "proposal-status",
        "poll-vote",
        "poll-close",
        "convention-sign",
    ],
)
def test_get_on_post_only_views_is_405(world, login, name):
    target = {
        "proposal-comment": world.proposal.pk,
        "proposal-status": world.proposal.pk,
        "poll-vote": world.poll.pk,
        "poll-close": world.poll.pk,
        "convention-sign": world.convention.pk,
    }[name]
    response = login(world.roles.leader).get(world.url(name, target))
    assert response.status_code == 405


def test_owner_may_complete_their_own_task(world, login):
    task = MeetingTask.objects.create(
        meeting=world.meeting, title="浇花", owner=world.resident
    )
    response = login(world.roles.resident).post(
        world.url("meeting-task-done", world.meeting.pk, task.pk), {"confirm": "yes"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.is_done and task.done_by == world.roles.resident


def test_status_change_table(world):
    """Pure predicate: who may move a proposal from which state."""
    from buildings.permissions import access_for

    table = {
        "resident": {"draft": [], "discussion": []},
        "team": {"draft": ["discussion", "withdrawn"], "discussion": ["withdrawn"]},
        "leader": {
            "draft": ["discussion", "withdrawn"],
            "discussion": ["withdrawn", "adopted", "rejected"],
        },
    }
    for role, by_state in table.items():
        access = access_for(world.roles.get(role), world.building)
        for state, allowed in by_state.items():
            proposal = Proposal(status=state)
            assert proposal_perms.allowed_status_changes(access, proposal) == allowed
        for state in ["voting", "adopted", "rejected", "withdrawn"]:
            assert (
                proposal_perms.allowed_status_changes(access, Proposal(status=state))
                == []
            )
