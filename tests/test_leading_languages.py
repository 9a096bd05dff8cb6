"""Issue #16's pages read in English for an English reader: no Chinese dates left on the
raised matters, the team page or the printed sheets (the Chinese reader's dates are the
translation of the same format)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from buildings import team
from buildings.models import Resident
from proposals.deliberation.raising import services as raising
from proposals.models import MeetingTask
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    MeetingFactory,
    PollFactory,
)

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_dates_on_the_new_pages_follow_the_readers_language(roles, login):
    building = roles.building
    resident = Resident.objects.get(user=roles.resident)
    matter = raising.raise_matter(resident=resident, title="加装扶手", body="楼梯陡")
    raising.cosign(
        proposal=matter,
        resident=AccountResidentFactory(household__building=building),
    )
    team.propose_talent(
        resident=resident, skill_name="理发", offer="", actor=roles.leader
    )
    poll = PollFactory(proposal__building=building, question="换门吗")
    consultation = ConsultationFactory(building=building, title="花园征询")
    pages = [
        (roles.resident, reverse("proposals:raised", args=[building.pk])),
        (roles.resident, matter.get_absolute_url()),
        (roles.leader, reverse("buildings:team", args=[building.pk])),
        (roles.leader, reverse("proposals:poll-ballot", args=[building.pk, poll.pk])),
        (
            roles.leader,
            reverse(
                "proposals:consultation-sheet", args=[building.pk, consultation.pk]
            ),
        ),
    ]
    for user, path in pages:
        client = login(user)
        client.cookies["django_language"] = "en"
        page = client.get(path).content.decode()
        assert "月" not in page and "年" not in page, path


def test_the_page_marking_a_task_done_says_its_day_as_the_meeting_page_does(
    roles, login
):
    meeting = MeetingFactory(building=roles.building)
    due = date(timezone.localdate().year + 1, 1, 5)
    task = MeetingTask.objects.create(
        meeting=meeting,
        title="联系物业",
        owner=roles.leader.memberships.get(),
        due_on=due,
    )
    path = reverse(
        "proposals:meeting-task-done", args=[roles.building.pk, meeting.pk, task.pk]
    )
    client = login(roles.leader)
    page = client.get(path).content.decode()
    assert f"{due.year}年1月5日" in page  # another year: with its year
    client.cookies["django_language"] = "en"
    page = client.get(path).content.decode()
    assert f"5 Jan {due.year}" in page and "月" not in page


def test_a_proposal_decided_by_a_poll_says_the_result_in_the_readers_language(
    roles, login
):
    """The poll was closed by the worker (in Chinese); an English reader of the
    proposal reads its result in English, a Chinese reader in Chinese."""
    from proposals.deliberation.polls import services as polls

    poll = PollFactory(proposal__building=roles.building, question="换门吗")
    polls.cast_ballot(
        poll=poll,
        option_id=poll.options.get(label="同意").pk,
        resident=roles.resident.memberships.get(),
    )
    polls.close_poll(poll=poll, reason="提前结束")
    client = login(roles.resident)
    path = poll.proposal.get_absolute_url()
    client.cookies["django_language"] = "en"
    english = client.get(path).content.decode()
    assert "households voted" in english and "投票结果" not in english
    client.cookies["django_language"] = "zh-hans"
    assert "投票结果" in client.get(path).content.decode()
