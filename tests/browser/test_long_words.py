"""What residents type that does not wrap by itself (a pasted link, a long English word, a
long number, an e-mail address) never makes a page wider than a 390 px phone: the main
pages, posters and paper sheets, as a person who sees each, in normal and large text,
with such text in the free-text fields they show."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activities import services as activities
from activities.models import Task
from buildings.notify import notify
from funds import services as funds
from proposals.deliberation.consultations import services as consultations
from proposals.deliberation.meetings import services as meetings
from proposals.deliberation.polls import services as polls
from proposals.deliberation.proposals import services as proposals
from proposals.deliberation.raising import services as raising
from tests.activities.factories import ActivityFactory
from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_the_phone, large_text_cookie, log_in
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    BuildingFactory,
    StaffFactory,
    TalentFactory,
)
from tests.funds.factories import FundFactory
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    ConventionFactory,
    ProposalFactory,
)
from tests.proposals.factories import IssueCommentFactory, IssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNBROKEN = [
    "https://example.com/" + "a" * 120,
    "Supercalifragilisticexpialidocious" * 4,
    "1" * 60,
    "zhang.wei.from.room.twelve.oh.one@neighbours-of-building-twelve.example.com",
]


class Typed:
    """Text with no place to break, one kind after another, cut to each field's size."""

    def __init__(self):
        self.turn = 0

    def __call__(self, size):
        text = UNBROKEN[self.turn % len(UNBROKEN)]
        self.turn += 1
        return (text * 3)[:size]


# What sticks out: the innermost elements reaching past the screen's right edge or with
# text running out of their box.
WIDEST = """() => {
  const out = (e) => e.getBoundingClientRect().right > 391 || e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX === 'visible';
  return [...document.body.querySelectorAll('*')]
    .filter((e) => out(e) && ![...e.querySelectorAll(':scope > *')].some(out))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${e.textContent.trim().slice(0, 20)}"`);
}"""


def world():
    """A building where residents typed unbroken text everywhere, and the pages showing it
    with who looks at each."""
    typed = Typed()
    now = timezone.now()
    building = BuildingFactory(is_pilot=True, name=typed(40), description=typed(2000))
    leader = AccountResidentFactory(
        role="leader", household__building=building, user__name=typed(40)
    )
    resident = AccountResidentFactory(
        household__building=building, user__name=typed(40)
    )
    neighbour = AccountResidentFactory(
        household__building=building, user__name=typed(40)
    )
    AccountResidentFactory(
        household__building=building, status="pending", user__name=typed(40)
    )
    staff = StaffFactory(communities=[building.community], name=typed(40))
    TalentFactory(resident=resident, skill__name=typed(40), offer=typed(200))
    announcement = AnnouncementFactory(
        building=building, title=typed(80), body=typed(5000), author=leader.user
    )

    issue = IssueFactory(
        building=building, reporter=resident, title=typed(80), text=typed(2000)
    )
    IssueCommentFactory(
        issue=issue, author=leader.user, author_name=typed(40), text=typed(1000)
    )

    proposal = ProposalFactory(
        building=building, author=leader.user, title=typed(120), body=typed(5000)
    )
    proposals.add_comment(
        proposal=proposal, author=resident.user, name=typed(40), text=typed(2000)
    )
    voted = ProposalFactory(
        building=building, author=leader.user, title=typed(120), body=typed(500)
    )
    poll = polls.open_poll(
        proposal=voted,
        created_by=leader.user,
        question=typed(200),
        option_labels=[typed(100), typed(100), typed(100)],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
        results_live=True,
    )
    polls.cast_ballot(poll=poll, resident=resident, option_id=poll.options.first().pk)
    decided = polls.open_poll(
        proposal=ProposalFactory(
            building=building, author=leader.user, title=typed(120), body=typed(500)
        ),
        created_by=leader.user,
        question=typed(200),
        option_labels=[typed(100), typed(100)],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )
    polls.cast_ballot(
        poll=decided, resident=resident, option_id=decided.options.first().pk
    )
    polls.close_poll(poll=decided, closed_by=leader.user, reason=typed(200))
    convention = ConventionFactory(
        building=building, title=typed(120), text=typed(10000)
    )
    matter = raising.raise_matter(
        resident=neighbour, title=typed(120), body=typed(2000)
    )
    consultation = ConsultationFactory(
        building=building,
        created_by=leader.user,
        title=typed(120),
        intro=typed(3000),
        with_questions=False,
    )
    consultations.add_question(
        consultation=consultation,
        text=typed(300),
        kind="single",
        required=True,
        choices=[typed(100), typed(100)],
    )
    meeting = meetings.schedule_meeting(
        building=building,
        created_by=leader.user,
        title=typed(120),
        starts_at=now + timedelta(days=2),
        place=typed(120),
        agenda=[proposal],
        agenda_notes=typed(3000),
    )
    meetings.add_meeting_task(meeting=meeting, title=typed(200), owner=resident)
    meeting.minutes, meeting.decisions = typed(20000), typed(5000)
    meeting.save(update_fields=["minutes", "decisions"])

    fund = FundFactory(building=building)
    rules = funds.adopt_rules(
        fund=fund,
        allowed=[typed(200)],
        forbidden=[typed(200)],
        categories=[typed(80)],
        adopted_on=timezone.localdate(),
        adopted_how=typed(200),
        introduction=typed(2000),
        by=leader.user,
    )
    campaign = funds.create_campaign(
        fund=fund,
        title=typed(80),
        purpose=typed(2000),
        category=rules.categories.first(),
        goal=Decimal("3000"),
        deadline=timezone.localdate() + timedelta(days=30),
        approval_text=typed(200),
        needs=[
            {
                "kind": "goods",
                "description": typed(80),
                "quantity": 5,
                "unit": typed(10),
            }
        ],
        by=leader.user,
    )
    funds.pledge(
        need=campaign.needs.first(), resident=resident, quantity=2, note=typed(120)
    )
    funds.record_donation(
        fund=fund,
        amount=Decimal("500"),
        occurred_on=timezone.localdate(),
        by=leader.user,
        donor_name=typed(40),
        public_name="name",
        receipt_number=typed(40),
        campaign=campaign,
        note=typed(300),
    )
    funds.record_expense(
        fund=fund,
        amount=Decimal("120"),
        occurred_on=timezone.localdate(),
        payee=typed(80),
        purpose=typed(200),
        usage_rule=rules.rules.filter(allowed=True).first(),
        approval_text=typed(200),
        note=typed(300),
        by=leader.user,
    )
    goods, _created = funds.record_goods(
        fund=fund,
        item=typed(80),
        quantity=Decimal("3"),
        unit=typed(10),
        received_on=timezone.localdate(),
        donor_name=typed(40),
        public_name="name",
        note=typed(200),
        by=leader.user,
    )
    funds.use_goods(
        goods=goods,
        quantity=Decimal("1"),
        used_for=typed(200),
        occurred_on=timezone.localdate(),
        by=leader.user,
    )

    activity = ActivityFactory(
        building=building,
        created_by=leader.user,
        title=typed(80),
        text=typed(3000),
        place=typed(100),
    )
    called_off = ActivityFactory(
        building=building, created_by=leader.user, title=typed(80), place=typed(100)
    )
    activities.cancel_activity(activity=called_off, by=leader.user, reason=typed(300))
    task = activities.create_task(
        building=building,
        created_by=leader.user,
        kind=Task.Kind.OTHER,
        title=typed(80),
        description=typed(2000),
        place=typed(100),
        first_starts_at=now + timedelta(days=1),
        duration_minutes=60,
        repeat_weeks=2,
    )
    space = GardenSpaceFactory(
        building=building, name=typed(60), place=typed(100), notes=typed(2000)
    )
    AdoptionFactory(space=space, adopted_by=resident)
    notify(recipient=resident.user, kind="announcement", text=typed(300))

    base = f"/buildings/{building.pk}"
    resident_pages = [
        building.get_absolute_url(),
        announcement.get_absolute_url(),
        f"{base}/issues/",
        issue.get_absolute_url(),
        f"{base}/decide/",
        proposal.get_absolute_url(),
        poll.get_absolute_url(),
        matter.get_absolute_url(),
        f"{base}/decide/raised/",
        consultation.get_absolute_url(),
        meeting.get_absolute_url(),
        f"{base}/fund/",
        f"{base}/fund/statement/",
        f"{base}/fund/statement/print/",
        decided.get_absolute_url(),
        f"{base}/decide/polls/{decided.pk}/poster/",
        convention.get_absolute_url(),
        f"{base}/decide/conventions/{convention.pk}/poster/",
        campaign.get_absolute_url(),
        f"{base}/activities/",
        activity.get_absolute_url(),
        called_off.get_absolute_url(),
        f"{base}/volunteer/",
        f"{base}/volunteer/{task.pk}/",
        f"{base}/gardens/",
        space.get_absolute_url(),
        f"{base}/search/?q=Supercalifragilisticexpialidocious",
        f"{base}/search/?q=example",
        "/me/",
        "/me/notifications/",
    ]
    leader_pages = [
        issue.get_absolute_url(),
        poll.get_absolute_url(),
        f"{base}/requests/",
        f"{base}/residents/",
        f"{base}/team/",
        f"{base}/issues/print/",
        f"{base}/decide/polls/{poll.pk}/ballot/",
        f"{base}/decide/consultations/{consultation.pk}/sheet/",
        f"{base}/decide/meetings/{meeting.pk}/sign-in-sheet/",
        f"{base}/activities/{activity.pk}/sheet/",
        f"{base}/todo/",
        f"{base}/fund/goods/",
        f"{base}/activities/{activity.pk}/roster/",
        space.get_absolute_url(),
    ]
    personal = {"/me/", "/me/notifications/"}
    return [
        (resident.user.phone, False, resident_pages),
        # In large text (适老化) the same words take more room.
        (neighbour.user.phone, True, [p for p in resident_pages if p not in personal]),
        (leader.user.phone, False, leader_pages),
        (staff.phone, False, [f"/dashboard/c/{building.community_id}/"]),
    ]


def test_text_that_does_not_wrap_never_widens_a_page(browser, live_server):
    wide = []
    for phone, large, paths in world():  # one phone per person, logged in once
        context = browser.new_context(
            viewport=PHONE, base_url=live_server.url, locale="zh-CN"
        )
        if large:
            context.add_cookies([large_text_cookie(live_server.url)])
        page = context.new_page()
        log_in(page, phone)
        for path in paths:
            assert page.goto(path).status == 200, path
            if not fits_the_phone(page):
                wide.append(
                    f"{path}{' (large text)' if large else ''}: {page.evaluate(WIDEST)}"
                )
        context.close()
    assert wide == [], "\n".join(wide)
